/** Executes the server's response commands; each returns a result object reported back to the server. */
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { applyIsolation, releaseIsolation } from './isolation-state';

export interface ServerCommand {
  id: string;
  type: string;
  args: Record<string, unknown>;
}

export interface CommandContext {
  serverUrl: string;
  /** SOCNOC_AGENT_HOME: isolation state is kept there so a restart re-applies it. */
  home: string;
  /** e.g. ['ip', 'netns', 'exec', 'ns1'] in tests; empty in production. */
  nftPrefix: readonly string[];
  yaraScan(paths: string[] | undefined, trigger: string): Promise<{ files: number; matches: number }>;
  restartCollection(): Promise<void>;
}

function hashPath(path: string): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let size = 0;
    const s = createReadStream(path);
    s.on('data', (c: Buffer | string) => {
      size += c.length;
      h.update(c);
    });
    s.on('end', () => resolve({ sha256: h.digest('hex'), size }));
    s.on('error', reject);
  });
}

function stringArg(args: Record<string, unknown>, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || !v.startsWith('/')) throw new Error(`argument "${name}": expected an absolute path`);
  return v;
}

/** The server's addresses as the kernel will see them (isolation keeps exactly these). */
export async function serverTarget(serverUrl: string): Promise<{ addresses: string[]; port: number }> {
  const url = new URL(serverUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const found = await lookup(host, { all: true });
  return { addresses: [...new Set(found.map((a) => a.address))], port: url.port === '' ? 443 : Number(url.port) };
}

export async function executeCommand(cmd: ServerCommand, ctx: CommandContext): Promise<Record<string, unknown>> {
  switch (cmd.type) {
    case 'yara_scan': {
      const paths = Array.isArray(cmd.args.paths) ? cmd.args.paths.filter((p): p is string => typeof p === 'string') : undefined;
      return ctx.yaraScan(paths, `command:${cmd.id}`);
    }
    case 'file_hash': {
      const path = stringArg(cmd.args, 'path');
      const st = statSync(path);
      const { sha256, size } = await hashPath(path);
      return { path, sha256, size, mode: (st.mode & 0o7777).toString(8).padStart(4, '0'), uid: st.uid, gid: st.gid, mtime: st.mtime.toISOString() };
    }
    case 'file_fetch': {
      const path = stringArg(cmd.args, 'path');
      const maxBytes = typeof cmd.args.maxBytes === 'number' ? cmd.args.maxBytes : 10 * 1024 * 1024;
      const st = statSync(path);
      const size = Math.min(st.size, maxBytes);
      const buf = Buffer.alloc(size);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buf, 0, size, 0);
      } finally {
        closeSync(fd);
      }
      return { path, size: st.size, truncated: st.size > maxBytes, sha256: createHash('sha256').update(buf).digest('hex'), content_base64: buf.toString('base64') };
    }
    case 'isolate': {
      const target = await serverTarget(ctx.serverUrl);
      const state = await applyIsolation(ctx.home, target, cmd.id, ctx.nftPrefix);
      return { isolated: true, allowed: target, since: state.since };
    }
    case 'release':
      await releaseIsolation(ctx.home, ctx.nftPrefix);
      return { isolated: false };
    case 'restart_collection':
      await ctx.restartCollection();
      return { restarted: true };
    default:
      throw new Error(`unknown command type "${cmd.type}"`);
  }
}
