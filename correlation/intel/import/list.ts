/**
 * Plain indicator lists: TXT with one value per line (`#` and `;` comment lines, anything after the
 * first blank ignored, as in Spamhaus DROP or abuse.ch lists), and CSV with a header row naming the
 * value column (and optionally type, confidence, expiry, first-seen, tags and description). A header
 * written as a comment (`# first_seen_utc,dst_ip,...`, as abuse.ch does) is recognised.
 */
import { canonicalIndicator } from '../normalize';
import { ImportReport, IntelImportError, type IndicatorMeta, type IndicatorType } from '../types';
import { csvRecords } from './csv-parse';

export interface ListOptions {
  /** All values are of this type; undefined: inferred per value (or from the CSV type column). */
  type?: IndicatorType;
}

export interface CsvOptions extends ListOptions {
  delimiter: string;
  /** Header names of the columns; undefined: the first known name present. */
  valueColumn?: string;
  typeColumn?: string;
  confidenceColumn?: string;
}

/** Value column names, each with the type it implies (undefined: inferred from the value). */
const VALUE_COLUMNS: ReadonlyArray<[string, IndicatorType | undefined]> = [
  ['value', undefined],
  ['indicator', undefined],
  ['ioc', undefined],
  ['ioc_value', undefined],
  ['observable', undefined],
  ['dst_ip', undefined],
  ['ip', undefined],
  ['ip_address', undefined],
  ['ipaddress', undefined],
  ['domain', 'domain'],
  ['hostname', 'hostname'],
  ['url', 'url'],
  ['sha256', 'sha256'],
  ['sha256_hash', 'sha256'],
  ['sha1', 'sha1'],
  ['sha1_hash', 'sha1'],
  ['md5', 'md5'],
  ['md5_hash', 'md5'],
  ['hash', undefined],
];
const TYPE_COLUMNS = ['type', 'indicator_type', 'ioc_type', 'kind'];
const CONFIDENCE_COLUMNS = ['confidence', 'score', 'confidence_level'];
const UNTIL_COLUMNS = ['valid_until', 'expires', 'expiration', 'expiry'];
const FIRST_SEEN_COLUMNS = ['first_seen', 'first_seen_utc', 'dateadded', 'date_added', 'first_seen_at'];
const LABEL_COLUMNS = ['tags', 'labels', 'threat', 'malware', 'malware_printable'];
const DESCRIPTION_COLUMNS = ['description', 'comment'];

/** Type column words → the type, or 'infer' (a family whose exact type the value shows). */
const TYPE_WORDS: Record<string, IndicatorType | 'infer'> = {
  ip: 'infer',
  'ip-src': 'infer',
  'ip-dst': 'infer',
  ipv4: 'ipv4',
  'ipv4-addr': 'ipv4',
  ipv6: 'ipv6',
  'ipv6-addr': 'ipv6',
  cidr: 'infer',
  domain: 'domain',
  'domain-name': 'domain',
  fqdn: 'hostname',
  hostname: 'hostname',
  host: 'hostname',
  url: 'url',
  uri: 'url',
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  hash: 'infer',
  filehash: 'infer',
};

/** Distinct tag/description combinations remembered for sharing. */
const MAX_SHARED_METAS = 10_000;

const CONFIDENCE_WORDS: Record<string, number> = { high: 85, medium: 50, low: 15, none: 0 };

function listMeta(input: string): IndicatorMeta {
  return { source: input, labels: [], attack: [] };
}

/** abuse.ch writes UTC times as `2024-05-01 10:00:00`; Date.parse would read that as local time. */
function parseTime(text: string): number | undefined {
  if (text === '') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

export function importTextList(text: string, input: string, options: ListOptions, report = new ImportReport()): ImportReport {
  const meta = listMeta(input);
  let line = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '' || raw.charCodeAt(0) === 35 || raw.charCodeAt(0) === 59 || raw.startsWith('//')) continue;
    let stop = raw.length;
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === 32 || c === 9 || c === 59 || c === 44) {
        stop = i;
        break;
      }
    }
    const c = canonicalIndicator(raw.slice(0, stop), options.type);
    if (!c.ok) {
      report.error(`${input}:${line}`, c.reason);
      continue;
    }
    report.indicators.push({ type: c.type, value: c.value, meta });
  }
  return report;
}

function columnOf(header: readonly string[], wanted: string | undefined, candidates: readonly string[]): number {
  if (wanted !== undefined) return header.indexOf(wanted.toLowerCase());
  for (const name of candidates) {
    const i = header.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

export function importCsvList(text: string, input: string, options: CsvOptions, report = new ImportReport()): ImportReport {
  let header: string[] | undefined;
  let valueAt = -1;
  let impliedType: IndicatorType | undefined;
  let typeAt = -1;
  let confidenceAt = -1;
  let untilAt = -1;
  let firstSeenAt = -1;
  let labelsAt = -1;
  let descriptionAt = -1;
  const meta = listMeta(input);
  const metas = new Map<string, IndicatorMeta>();
  for (const record of csvRecords(text, options.delimiter)) {
    const position = `${input}:${record.line}`;
    if (header === undefined) {
      const names = record.fields.map((f, k) => (k === 0 && record.comment ? f.replace(/^#\s*/, '').replace(/^"(.*)"$/, '$1') : f).toLowerCase());
      if (options.valueColumn !== undefined) {
        valueAt = names.indexOf(options.valueColumn.toLowerCase());
      } else {
        for (const [name, type] of VALUE_COLUMNS) {
          const i = names.indexOf(name);
          if (i >= 0) {
            valueAt = i;
            impliedType = type;
            break;
          }
        }
      }
      if (valueAt < 0) {
        if (record.comment) continue;
        throw new IntelImportError(input, `line ${record.line}: no value column in the header (${options.valueColumn !== undefined ? `"${options.valueColumn}" not found` : `expected one of ${VALUE_COLUMNS.map(([n]) => n).join(', ')}`})`);
      }
      header = names;
      typeAt = columnOf(names, options.typeColumn, TYPE_COLUMNS);
      if (options.typeColumn !== undefined && typeAt < 0) throw new IntelImportError(input, `line ${record.line}: type column "${options.typeColumn}" not in the header`);
      confidenceAt = columnOf(names, options.confidenceColumn, CONFIDENCE_COLUMNS);
      if (options.confidenceColumn !== undefined && confidenceAt < 0) throw new IntelImportError(input, `line ${record.line}: confidence column "${options.confidenceColumn}" not in the header`);
      untilAt = columnOf(names, undefined, UNTIL_COLUMNS);
      firstSeenAt = columnOf(names, undefined, FIRST_SEEN_COLUMNS);
      labelsAt = columnOf(names, undefined, LABEL_COLUMNS);
      descriptionAt = columnOf(names, undefined, DESCRIPTION_COLUMNS);
      continue;
    }
    if (record.comment) continue;
    const f = record.fields;
    const value = f[valueAt];
    if (value === undefined || value === '') {
      report.error(position, `no value in column "${header[valueAt]}"`);
      continue;
    }
    let type: IndicatorType | undefined = options.type ?? impliedType;
    if (typeAt >= 0 && options.type === undefined && f[typeAt] !== undefined && f[typeAt] !== '') {
      const word = TYPE_WORDS[f[typeAt].toLowerCase()];
      if (word === undefined) {
        report.notSupported(position, `type "${f[typeAt].slice(0, 40)}" is not matched`);
        continue;
      }
      type = word === 'infer' ? undefined : word;
    }
    const c = canonicalIndicator(value, type);
    if (!c.ok) {
      report.error(position, c.reason);
      continue;
    }
    let confidence: number | undefined;
    if (confidenceAt >= 0 && f[confidenceAt] !== undefined && f[confidenceAt] !== '') {
      const text = f[confidenceAt].toLowerCase();
      confidence = CONFIDENCE_WORDS[text] ?? Number(text);
      if (!Number.isFinite(confidence) || confidence < 0 || confidence > 100) {
        report.error(position, `confidence "${f[confidenceAt].slice(0, 20)}" is not a number from 0 to 100 or high/medium/low`);
        continue;
      }
      confidence = Math.round(confidence);
    }
    const validUntil = untilAt >= 0 ? parseTime(f[untilAt] ?? '') : undefined;
    const firstSeen = firstSeenAt >= 0 ? parseTime(f[firstSeenAt] ?? '') : undefined;
    const labels = labelsAt >= 0 && f[labelsAt] !== undefined && f[labelsAt] !== '' ? f[labelsAt] : undefined;
    const description = descriptionAt >= 0 && f[descriptionAt] !== undefined && f[descriptionAt] !== '' ? f[descriptionAt] : undefined;
    let own = meta;
    if (labels !== undefined || description !== undefined) {
      // Rows share their tags (a few malware families over thousands of rows): one meta object per combination.
      const key = `${labels ?? ''}\u0000${description ?? ''}`;
      const cached = metas.get(key);
      if (cached !== undefined) {
        own = cached;
      } else {
        own = { source: input, labels: labels === undefined ? [] : labels.split(/[|;,]/).map((s) => s.trim()).filter((s) => s !== ''), attack: [] };
        if (description !== undefined) own.description = description.slice(0, 500);
        if (metas.size < MAX_SHARED_METAS) metas.set(key, own);
      }
    }
    report.indicators.push({ type: c.type, value: c.value, confidence, validUntil, firstSeen, meta: own });
  }
  if (header === undefined) throw new IntelImportError(input, 'no header row');
  return report;
}
