/**
 * One feed read: fetch its document(s) and run the importer of its format. A MISP feed folder is a
 * manifest plus one file per event; events whose manifest timestamp did not change are reused from
 * the previous read instead of fetched again, and an event that fails to download keeps its last
 * good version.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntelFeedConfig } from '../config';
import { importCsvList, importTextList } from '../import/list';
import { importMispEvents, parseMispManifest } from '../import/misp';
import { importStixBundle } from '../import/stix';
import { ImportReport, MAX_LISTED_ISSUES } from '../types';
import { displayUrl, fetchDocument, type DocumentValidators, type FetchOptions } from './fetch-document';

/** A MISP event as last read: reused while the manifest shows the same timestamp. */
interface CachedEvent {
  timestamp: string;
  report: ImportReport;
}

/** What a feed keeps between reads. */
export interface FeedReadState {
  validators?: DocumentValidators;
  mispEvents?: Map<string, CachedEvent>;
}

export type FeedReadResult = { changed: false; state: FeedReadState } | { changed: true; report: ImportReport; bytes: number; documents: number; state: FeedReadState };

/** MISP event files fetched at once. */
const MISP_CONCURRENCY = 4;

export function feedSource(config: IntelFeedConfig): string {
  return config.url !== undefined ? displayUrl(config.url) : (config.path ?? '');
}

function fetchOptions(config: IntelFeedConfig): FetchOptions {
  return { timeoutMs: config.timeoutSeconds * 1000, maxBytes: config.maxBytes, headers: config.headers };
}

function importDocument(config: IntelFeedConfig, text: string, input: string, report?: ImportReport): ImportReport {
  switch (config.format) {
    case 'stix':
      return importStixBundle(text, input, report);
    case 'misp':
      return importMispEvents(text, input, { includeNonIds: config.includeNonIds }, report);
    case 'csv':
      return importCsvList(text, input, { type: config.type, delimiter: config.delimiter, valueColumn: config.valueColumn, typeColumn: config.typeColumn, confidenceColumn: config.confidenceColumn }, report);
    case 'txt':
      return importTextList(text, input, { type: config.type }, report);
  }
}

/** Where a MISP feed's manifest is, and how to name its event files; undefined: a single document. */
async function mispFolder(config: IntelFeedConfig): Promise<{ manifest: { path?: string; url?: string }; event: (uuid: string) => { path?: string; url?: string } } | undefined> {
  if (config.url !== undefined) {
    const url = config.url;
    if (!url.endsWith('/') && !url.endsWith('/manifest.json')) return undefined;
    const base = url.endsWith('/') ? url : url.slice(0, url.length - 'manifest.json'.length);
    return { manifest: { url: `${base}manifest.json` }, event: (uuid) => ({ url: new URL(`${uuid}.json`, base).toString() }) };
  }
  const path = config.path ?? '';
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    return undefined;
  }
  if (!isDir) return path.endsWith('manifest.json') ? { manifest: { path }, event: (uuid) => ({ path: join(path, '..', `${uuid}.json`) }) } : undefined;
  return { manifest: { path: join(path, 'manifest.json') }, event: (uuid) => ({ path: join(path, `${uuid}.json`) }) };
}

function mergeInto(target: ImportReport, part: ImportReport): void {
  for (const ind of part.indicators) target.indicators.push(ind);
  target.invalid += part.invalid;
  target.unsupported += part.unsupported;
  target.skipped += part.skipped;
  for (const e of part.errors) if (target.errors.length < MAX_LISTED_ISSUES) target.errors.push(e);
  for (const e of part.unsupportedList) if (target.unsupportedList.length < MAX_LISTED_ISSUES) target.unsupportedList.push(e);
}

async function readMispFolder(
  config: IntelFeedConfig,
  folder: NonNullable<Awaited<ReturnType<typeof mispFolder>>>,
  state: FeedReadState,
  force: boolean,
): Promise<FeedReadResult> {
  const options = fetchOptions(config);
  const fetched = await fetchDocument(folder.manifest, force ? undefined : state.validators, options);
  if (!fetched.changed) return { changed: false, state };
  const manifestName = folder.manifest.url !== undefined ? displayUrl(folder.manifest.url) : (folder.manifest.path ?? '');
  const manifest = parseMispManifest(fetched.text, manifestName);
  const previous = state.mispEvents ?? new Map<string, CachedEvent>();
  const next = new Map<string, CachedEvent>();
  const report = new ImportReport();
  let bytes = fetched.bytes;
  let documents = 1;
  const pending = [...manifest.entries()];
  const worker = async (): Promise<void> => {
    for (let item = pending.shift(); item !== undefined; item = pending.shift()) {
      const [uuid, timestamp] = item;
      const cached = previous.get(uuid);
      if (cached !== undefined && cached.timestamp === timestamp && timestamp !== '') {
        next.set(uuid, cached);
        continue;
      }
      const where = folder.event(uuid);
      const input = where.url !== undefined ? displayUrl(where.url) : (where.path ?? uuid);
      try {
        const doc = await fetchDocument(where, undefined, options);
        if (!doc.changed) continue;
        bytes += doc.bytes;
        documents++;
        next.set(uuid, { timestamp, report: importDocument(config, doc.text, input) });
      } catch (err) {
        // Keep what this event held before; the error shows in the feed status.
        if (cached !== undefined) next.set(uuid, cached);
        report.error(input, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: MISP_CONCURRENCY }, worker));
  for (const uuid of manifest.keys()) {
    const cached = next.get(uuid);
    if (cached !== undefined) mergeInto(report, cached.report);
  }
  return { changed: true, report, bytes, documents, state: { validators: fetched.validators, mispEvents: next } };
}

/** Reads the feed; `force` ignores the validators (a manual refresh re-reads everything). */
export async function readFeed(config: IntelFeedConfig, state: FeedReadState, force: boolean): Promise<FeedReadResult> {
  if (config.format === 'misp') {
    const folder = await mispFolder(config);
    if (folder !== undefined) return readMispFolder(config, folder, state, force);
  }
  const fetched = await fetchDocument(config, force ? undefined : state.validators, fetchOptions(config));
  if (!fetched.changed) return { changed: false, state };
  const report = importDocument(config, fetched.text, feedSource(config));
  return { changed: true, report, bytes: fetched.bytes, documents: 1, state: { validators: fetched.validators } };
}
