/**
 * Reads the events of a `rules test` input file as a stream, in one of three forms detected from
 * the first non-blank line (or forced):
 *   - jsonl: one JSON object per line (ECS events, Winlogbeat events, evtx_dump `-o jsonl`);
 *   - json: concatenated or pretty-printed JSON objects, a JSON array, or evtx_dump's default
 *     output with `Record N` lines between objects;
 *   - syslog: raw syslog lines, turned into events by the converter the caller supplies (the
 *     syslog collector's parser; correlation code may not import collectors).
 * Bad records are yielded as problems with their line number; reading goes on.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { EcsEvent } from '../../../core/event';
import { JsonStreamSplitter, type JsonStreamItem } from './json-stream';

export type InputFormat = 'jsonl' | 'json' | 'syslog';

/** Turns one raw syslog line into an event (what the syslog collector emits for it). */
export type SyslogLineToEvent = (line: string) => EcsEvent;

export type InputRecord = { ok: true; line: number; event: Record<string, unknown> } | { ok: false; line: number; reason: string };

export class InputFormatError extends Error {}

export function detectFormat(firstLine: string): InputFormat {
  const line = firstLine.replace(/^\uFEFF/, '').trim();
  if (line.startsWith('[') || /^Record \d+$/.test(line)) return 'json';
  if (line.startsWith('{')) {
    try {
      JSON.parse(line);
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
  return 'syslog';
}

function asEvent(value: unknown, line: number): InputRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, line, reason: 'an event must be a JSON object' };
  return { ok: true, line, event: value as Record<string, unknown> };
}

export interface EventReaderOptions {
  format?: InputFormat | 'auto';
  syslogLineToEvent?: SyslogLineToEvent;
  /** Called with the number of bytes read so far (for progress). */
  onBytes?: (bytes: number) => void;
}

export class EventFileReader {
  /** Known once the first line has been read. */
  format: InputFormat | undefined;

  constructor(
    private readonly input: Readable,
    private readonly options: EventReaderOptions = {},
  ) {
    if (options.format !== undefined && options.format !== 'auto') this.format = options.format;
  }

  async *records(): AsyncGenerator<InputRecord> {
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    let pending = '';
    let lineNo = 0;
    let splitter: JsonStreamSplitter | undefined;
    let first = true;
    for await (const chunk of this.input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      bytes += buf.length;
      this.options.onBytes?.(bytes);
      let text = decoder.write(buf);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (this.format === undefined) {
        pending += text;
        const firstLine = pending.match(/^\s*([^\n]*)\n/);
        if (firstLine === null) continue;
        this.format = detectFormat(firstLine[1]);
        text = pending;
        pending = '';
      }
      if (this.format === 'json') {
        splitter ??= new JsonStreamSplitter();
        yield* this.fromJson(splitter.push(text));
        continue;
      }
      pending += text;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        lineNo++;
        const record = this.fromLine(pending.slice(start, nl), lineNo);
        if (record !== undefined) yield record;
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
    const rest = pending + decoder.end();
    if (this.format === undefined) {
      if (rest.trim() === '') return;
      this.format = detectFormat(rest);
    }
    if (this.format === 'json') {
      splitter ??= new JsonStreamSplitter();
      yield* this.fromJson(splitter.push(rest));
      yield* this.fromJson(splitter.end());
      return;
    }
    if (rest.length > 0) {
      const record = this.fromLine(rest, lineNo + 1);
      if (record !== undefined) yield record;
    }
  }

  private *fromJson(items: JsonStreamItem[]): Generator<InputRecord> {
    for (const item of items) yield item.ok ? asEvent(item.value, item.line) : item;
  }

  private fromLine(raw: string, line: number): InputRecord | undefined {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return undefined;
    if (this.format === 'syslog') {
      const convert = this.options.syslogLineToEvent;
      if (convert === undefined) throw new InputFormatError('the input looks like syslog lines, but no syslog line converter was wired in');
      try {
        return { ok: true, line, event: convert(text) as unknown as Record<string, unknown> };
      } catch (err) {
        return { ok: false, line, reason: `syslog line not converted: ${(err as Error).message}` };
      }
    }
    try {
      return asEvent(JSON.parse(text), line);
    } catch (err) {
      return { ok: false, line, reason: `invalid JSON: ${(err as Error).message}` };
    }
  }
}
