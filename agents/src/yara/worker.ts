/**
 * The YARA worker thread: compiles the rule set with @litko/yara-x and scans files, so a long scan
 * never stalls collection (yara-x's async scan still blocked the event loop when tried). Where the
 * native binary does not exist for the platform, the `yara` command line tool is used instead.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { YaraFileResult, YaraMatch, YaraReply, YaraRequest, YaraRuleFile } from './protocol';

interface YaraXRuleMatch {
  ruleIdentifier: string;
  namespace: string;
  meta: object;
  tags: string[];
}

interface YaraXRules {
  addRuleSource(source: string): void;
  scanFile(path: string): YaraXRuleMatch[];
  getWarnings(): Array<{ message: string }>;
}

interface YaraXModule {
  create(): YaraXRules;
}

function loadYaraX(): YaraXModule | undefined {
  try {
    // Optional dependency: absent on platforms it has no binary for.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@litko/yara-x') as YaraXModule;
  } catch {
    return undefined;
  }
}

const yarax = process.env.SOCNOC_AGENT_YARA_ENGINE === 'cli' ? undefined : loadYaraX();
let rules: YaraXRules | undefined;
let cliRulesDir: string | undefined;
let cliRuleFiles: string[] = [];

function compile(files: YaraRuleFile[]): string[] {
  if (yarax !== undefined) {
    const r = yarax.create();
    for (const f of files) {
      try {
        r.addRuleSource(f.source);
      } catch (err) {
        throw new Error(`${f.name}: ${(err as Error).message}`, { cause: err });
      }
    }
    rules = r;
    return r.getWarnings().map((w) => w.message);
  }
  if (cliRulesDir !== undefined) rmSync(cliRulesDir, { recursive: true, force: true });
  cliRulesDir = mkdtempSync(join(tmpdir(), 'socnoc-yara-'));
  cliRuleFiles = files.map((f, i) => {
    const file = join(cliRulesDir as string, `${i}-${f.name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    writeFileSync(file, f.source);
    return file;
  });
  return [];
}

function scanWithCli(path: string): Promise<YaraMatch[]> {
  return new Promise((resolve, reject) => {
    execFile('yara', ['-g', '-m', ...cliRuleFiles, path], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const matches: YaraMatch[] = [];
      for (const line of stdout.split('\n')) {
        // `Rule [tag1,tag2] [key="value",...] /path`
        const m = /^(\S+) \[([^\]]*)\] \[(.*)\] /.exec(line);
        if (m !== null) matches.push({ rule: m[1], namespace: 'default', tags: m[2] === '' ? [] : m[2].split(','), meta: {} });
      }
      resolve(matches);
    });
  });
}

async function scan(paths: string[], maxFileBytes: number): Promise<YaraFileResult[]> {
  const out: YaraFileResult[] = [];
  for (const path of paths) {
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > maxFileBytes) continue;
      let matches: YaraMatch[];
      if (yarax !== undefined) {
        if (rules === undefined) throw new Error('no rules compiled');
        matches = rules.scanFile(path).map((m) => ({ rule: m.ruleIdentifier, namespace: m.namespace, tags: [...m.tags], meta: { ...(m.meta as Record<string, unknown>) } }));
      } else {
        matches = await scanWithCli(path);
      }
      out.push({ path, matches });
    } catch (err) {
      out.push({ path, matches: [], error: (err as Error).message });
    }
  }
  return out;
}

parentPort?.on('message', (req: YaraRequest) => {
  const reply = (r: YaraReply): void => parentPort?.postMessage(r);
  if (req.op === 'compile') {
    try {
      reply({ seq: req.seq, ok: true, warnings: compile(req.files) });
    } catch (err) {
      reply({ seq: req.seq, ok: false, error: (err as Error).message });
    }
    return;
  }
  scan(req.paths, req.maxFileBytes).then(
    (results) => reply({ seq: req.seq, ok: true, results }),
    (err: unknown) => reply({ seq: req.seq, ok: false, error: (err as Error).message }),
  );
});
