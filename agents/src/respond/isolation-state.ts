/**
 * Isolation survives agent restarts and host reboots: the applied target is saved in
 * `<home>/isolation.json` once nft accepted the ruleset, and the runner re-applies it at start
 * (nftables tables live in the kernel and vanish at reboot). Only a `release` command (or
 * `install.sh uninstall`) removes the file, after the table is gone.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../home';
import { isolationRuleset, releaseRuleset, runNft, type IsolationTarget } from './isolation';

export interface IsolationState {
  target: IsolationTarget;
  /** ISO time the isolation was first applied. */
  since: string;
  /** The server command that asked for it. */
  command: string;
}

export function isolationStateFile(home: string): string {
  return join(home, 'isolation.json');
}

/** The saved isolation, or undefined when the host is not isolated (or the file is not ours). */
export function readIsolationState(home: string): IsolationState | undefined {
  const saved = readJsonFile<Partial<IsolationState>>(isolationStateFile(home));
  const target = saved?.target;
  if (target === undefined || !Array.isArray(target.addresses) || typeof target.port !== 'number') return undefined;
  const addresses = target.addresses.filter((a): a is string => typeof a === 'string' && isIP(a) !== 0);
  if (addresses.length === 0) return undefined;
  return { target: { addresses, port: target.port }, since: String(saved?.since ?? ''), command: String(saved?.command ?? '') };
}

export async function applyIsolation(home: string, target: IsolationTarget, command: string, nftPrefix: readonly string[]): Promise<IsolationState> {
  await runNft(isolationRuleset(target), nftPrefix);
  const state: IsolationState = { target, since: readIsolationState(home)?.since ?? new Date().toISOString(), command };
  writeFileAtomic(isolationStateFile(home), JSON.stringify(state, null, 2));
  return state;
}

export async function releaseIsolation(home: string, nftPrefix: readonly string[]): Promise<void> {
  await runNft(releaseRuleset(), nftPrefix);
  const file = isolationStateFile(home);
  if (existsSync(file)) unlinkSync(file);
}

/**
 * At start: puts a saved isolation back in place with the addresses saved when it was applied
 * (name resolution may be what the isolation is meant to stop). Returns the state re-applied.
 */
export async function reapplyIsolation(home: string, nftPrefix: readonly string[]): Promise<IsolationState | undefined> {
  const state = readIsolationState(home);
  if (state === undefined) return undefined;
  await runNft(isolationRuleset(state.target), nftPrefix);
  return state;
}
