/**
 * Threat intel at scale: loads 1,000,000 indicators of mixed types (from CSV text, as a feed would
 * arrive), reports load time and heap, then the matching cost per event field in ns for each field
 * kind — half of the looked-up values listed, half not — next to a plain Map.get of the same
 * strings as the reference, and the whole intel stage per flow-shaped event.
 *
 *   node dist/bench/intel.js [--indicators N] [--seconds S]
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EcsEvent } from '../core/event';
import { FeedIndex } from '../correlation/intel/feed-index';
import { importCsvList } from '../correlation/intel/import/list';
import { IntelIndex, type IntelMatch } from '../correlation/intel/intel-index';
import { formatIpv4 } from '../correlation/intel/ip';
import { intelStage } from '../correlation/intel/stage';
import type { DetectionHit } from '../correlation/runtime/types';

interface Args {
  indicators: number;
  seconds: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { indicators: 1_000_000, seconds: 1 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--indicators') args.indicators = Number(argv[++i]);
    else if (argv[i] === '--seconds') args.seconds = Number(argv[++i]);
  }
  return args;
}

/** Deterministic xorshift, so runs compare. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function hex(r: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(r() * 4294967296).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

const WORDS = ['update', 'cdn', 'mail', 'secure', 'login', 'portal', 'cloud', 'api', 'static', 'files', 'gov', 'bank', 'docs', 'sync', 'auth'];

function domain(r: () => number, i: number): string {
  return `${WORDS[Math.floor(r() * WORDS.length)]}-${i.toString(36)}.${WORDS[Math.floor(r() * WORDS.length)]}${Math.floor(r() * 100)}.example`;
}

interface Corpus {
  csv: string;
  ipv4: string[];
  ipv6: string[];
  domains: string[];
  urls: string[];
  hashes: string[];
}

/** Mix: 45% IPv4 (1 in 9 a range), 5% IPv6, 20% domains, 15% URLs, 15% SHA-256. */
function corpus(n: number): Corpus {
  const r = rng(42);
  const lines: string[] = ['value,type,confidence'];
  const c: Corpus = { csv: '', ipv4: [], ipv6: [], domains: [], urls: [], hashes: [] };
  for (let i = 0; i < n; i++) {
    const k = i % 20;
    const confidence = 10 + Math.floor(r() * 90);
    if (k < 8) {
      const ip = formatIpv4(Math.floor(r() * 4294967296));
      c.ipv4.push(ip);
      lines.push(`${ip},ip,${confidence}`);
    } else if (k === 8) {
      lines.push(`${formatIpv4(Math.floor(r() * 4294967296))}/${16 + Math.floor(r() * 13)},ip,${confidence}`);
    } else if (k === 9) {
      const ip = `2001:db8:${hex(r, 4)}:${hex(r, 4)}::${hex(r, 3)}`;
      c.ipv6.push(ip);
      lines.push(`${i % 40 === 9 ? `${ip.slice(0, ip.indexOf('::'))}::/64` : ip},ip,${confidence}`);
    } else if (k < 14) {
      const d = domain(r, i);
      c.domains.push(d);
      lines.push(`${d},domain,${confidence}`);
    } else if (k < 17) {
      const u = `http://${domain(r, i)}/${WORDS[i % WORDS.length]}/${hex(r, 8)}.php?id=${i}`;
      c.urls.push(u);
      lines.push(`${u},url,${confidence}`);
    } else {
      const h = hex(r, 64);
      c.hashes.push(h);
      lines.push(`${h},sha256,${confidence}`);
    }
  }
  c.csv = lines.join('\n');
  return c;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

/** Half listed values (as events would spell them), half unlisted ones of the same shape. */
function probes(listed: string[], unlisted: (i: number) => string, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(i % 2 === 0 ? listed[(i * 7919) % listed.length] : unlisted(i));
  return out;
}

function timeLoop(seconds: number, values: string[], body: (v: string) => number): { ns: number; hits: number } {
  let calls = 0;
  let hits = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < values.length; i++) hits += body(values[i]);
    calls += values.length;
  }
  return { ns: ((performance.now() - started) * 1e6) / calls, hits: hits / calls };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const r = rng(7);
  const c = corpus(args.indicators);
  const csvMb = Buffer.byteLength(c.csv) / 1048576;
  const heapBefore = heapMb();
  const t0 = performance.now();
  const report = importCsvList(c.csv, 'bench.csv', { delimiter: ',' });
  const t1 = performance.now();
  const feed = new FeedIndex(report.indicators, { defaultConfidence: 50, loadedAt: Math.floor(Date.now() / 1000) });
  const t2 = performance.now();
  report.indicators.length = 0;
  const heapAfter = heapMb();
  const index = new IntelIndex({ maxParentLabels: 10 });
  const now = Math.floor(Date.now() / 1000);
  index.setFeed({ name: 'bench', index: feed, lastSeen: now, defaultUntil: 0, agencies: undefined, level: undefined });
  console.log(`indicators: ${feed.size.toLocaleString('en')} loaded (${report.invalid} invalid) from ${csvMb.toFixed(1)} MB of CSV`);
  console.log(`load: parse ${(t1 - t0).toFixed(0)} ms + index ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms`);
  console.log(`heap: +${(heapAfter - heapBefore).toFixed(0)} MB (${(((heapAfter - heapBefore) * 1048576) / feed.size).toFixed(0)} bytes per indicator; tries ${(feed.trieBytes() / 1048576).toFixed(1)} MB)`);

  const N = 10_000;
  const ipv4 = probes(c.ipv4, () => formatIpv4(Math.floor(r() * 4294967296)), N);
  const ipv6 = probes(c.ipv6, () => `2001:db8:${hex(r, 4)}:${hex(r, 4)}::${hex(r, 3)}`, N);
  // DNS names as resolvers see them: a host label under the listed domain (parents are checked).
  const dns = probes(
    c.domains.map((d) => `www.${d}`),
    (i) => `www.${domain(r, i + 10_000_000)}`,
    N,
  );
  const urls = probes(c.urls, (i) => `https://${domain(r, i)}/index.php?id=${i}`, N);
  const hashes = probes(c.hashes, () => hex(r, 64), N);
  const out: IntelMatch[] = [];
  const reference = new Map<string, number>();
  for (const v of [...c.ipv4, ...c.domains, ...c.urls, ...c.hashes].slice(0, 500_000)) reference.set(v, 1);

  console.log('\nmatching cost per event field (half of the values listed):');
  console.log('field               intel ns   Map.get ns   hit rate');
  const row = (name: string, values: string[], match: (v: string) => void): void => {
    const intel = timeLoop(args.seconds, values, (v) => {
      out.length = 0;
      match(v);
      return out.length;
    });
    const ref = timeLoop(args.seconds, values, (v) => (reference.get(v) !== undefined ? 1 : 0));
    console.log(`${name.padEnd(18)} ${intel.ns.toFixed(0).padStart(9)} ${ref.ns.toFixed(0).padStart(12)} ${(intel.hits * 100).toFixed(0).padStart(9)}%`);
  };
  row('destination.ip v4', ipv4, (v) => index.matchIp(v, 'destination.ip', now, undefined, out));
  row('source.ip v6', ipv6, (v) => index.matchIp(v, 'source.ip', now, undefined, out));
  row('dns.question.name', dns, (v) => index.matchDomain(v, 'dns.question.name', now, undefined, out));
  row('url.full', urls, (v) => index.matchUrl(v, 'url.full', now, undefined, out));
  row('file.hash.sha256', hashes, (v) => index.matchHash(v, 'file.hash.sha256', now, undefined, out));

  // The whole stage on flow events (source.ip, destination.ip, related.ip ×2), 1 in 10 matching.
  const stage = intelStage(index, { minConfidence: 0 });
  const events: EcsEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const src = `10.${i % 256}.${(i >> 8) % 256}.${i % 200}`;
    const dst = i % 10 === 0 ? c.ipv4[i] : formatIpv4(Math.floor(r() * 4294967296));
    events.push({
      '@timestamp': '2025-03-01T02:17:00.000Z',
      event: { id: `flow-${i}`, kind: 'event', category: ['network'], type: ['connection'], dataset: 'netflow.flow' },
      organization: { id: 'hanoi-doh' },
      source: { ip: src, port: 40000 + i },
      destination: { ip: dst, port: 443 },
      related: { ip: [src, dst] },
    });
  }
  const hits: DetectionHit[] = [];
  let processed = 0;
  const started = performance.now();
  const deadline = started + args.seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < events.length; i++) stage.process(events[i], [], hits);
    processed += events.length;
    hits.length = 0;
  }
  const perEvent = ((performance.now() - started) * 1e6) / processed;
  console.log(`\nintel stage per flow event (4 address fields, 10% matching, hits built): ${perEvent.toFixed(0)} ns (${(perEvent / 4).toFixed(0)} ns per field)`);
}

main();
