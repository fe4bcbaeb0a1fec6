/**
 * The last good indicator set of each URL feed, kept on disk so that a restart while the feed's
 * server is unreachable still matches what the feed listed before (file feeds are on disk already).
 * One JSON line per indicator after a header line; written to a temporary file and renamed, so a
 * crash mid-write leaves the previous copy.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { INDICATOR_TYPES, type ParsedIndicator } from '../types';

const FORMAT = 'socnoc-intel-cache/1';

const headerSchema = z.object({ format: z.literal(FORMAT), feed: z.string(), savedAt: z.number(), count: z.number().int().nonnegative() });

const indicatorSchema = z.object({
  type: z.enum(INDICATOR_TYPES),
  value: z.string().min(1),
  confidence: z.number().optional(),
  validFrom: z.number().optional(),
  validUntil: z.number().optional(),
  firstSeen: z.number().optional(),
  meta: z.object({
    source: z.string(),
    name: z.string().optional(),
    description: z.string().optional(),
    labels: z.array(z.string()),
    attack: z.array(z.string()),
    reference: z.string().optional(),
    tlp: z.string().optional(),
  }),
});

export interface CachedFeed {
  /** Epoch ms of the read that produced the set. */
  savedAt: number;
  indicators: ParsedIndicator[];
}

function cachePath(dir: string, feed: string): string {
  return join(dir, `${feed}.jsonl`);
}

export async function saveFeedCache(dir: string, feed: string, indicators: readonly ParsedIndicator[], savedAt: number): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const path = cachePath(dir, feed);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp, { mode: 0o640 });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  out.write(`${JSON.stringify({ format: FORMAT, feed, savedAt, count: indicators.length })}\n`);
  // Chunks of lines rather than one string: a million indicators would be a 100 MB string.
  let chunk = '';
  for (const ind of indicators) {
    chunk += `${JSON.stringify(ind)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  try {
    await done;
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The cached set, undefined when there is none; a damaged file is an error naming the file and line. */
export async function loadFeedCache(dir: string, feed: string): Promise<CachedFeed | undefined> {
  const path = cachePath(dir, feed);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n');
  const header = headerSchema.safeParse(safeJson(lines[0]));
  if (!header.success || header.data.feed !== feed) throw new Error(`${path}:1: not a socnoc intel cache for feed ${feed}`);
  const indicators: ParsedIndicator[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const parsed = indicatorSchema.safeParse(safeJson(lines[i]));
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid indicator'}`);
    indicators.push(parsed.data);
  }
  if (indicators.length !== header.data.count) throw new Error(`${path}: ${indicators.length} indicators, header says ${header.data.count} (truncated)`);
  return { savedAt: header.data.savedAt, indicators };
}

function safeJson(line: string | undefined): unknown {
  try {
    return JSON.parse(line ?? '');
  } catch {
    return undefined;
  }
}
