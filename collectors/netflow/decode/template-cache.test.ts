import { compileTemplate } from './template';
import { FlowTemplateCache, type ExportHeader } from './template-cache';

const tpl = (id: number, now = 0, expires = true) =>
  compileTemplate(id, false, [{ enterprise: 0, id: 8, length: 4 }], 0, 'ipfix', now, expires, 0);
const header: ExportHeader = { format: 'ipfix', exporter: '192.0.2.1', sourceId: 0, sequence: 1, exportTimeMs: 0, sysUpTimeMs: -1 };

describe('FlowTemplateCache bounds', () => {
  test('domains beyond maxDomains evict the least recently used, with their templates', () => {
    const cache = new FlowTemplateCache({ maxDomains: 2 });
    const a = cache.domain('a|ipfix|0', 0);
    cache.putTemplate(a, tpl(256), 0);
    cache.domain('b|ipfix|0', 1);
    cache.domain('a|ipfix|0', 5000); // touch a: b is now the oldest
    cache.domain('c|ipfix|0', 5001);
    expect(cache.stats).toMatchObject({ domains: 2, domainsEvicted: 1, templates: 1 });
    expect(cache.getTemplate(cache.domain('a|ipfix|0', 5002), 256, 5002)).toBeDefined();
  });

  test('templates beyond maxTemplatesPerDomain evict the oldest', () => {
    const cache = new FlowTemplateCache({ maxTemplatesPerDomain: 3 });
    const d = cache.domain('x|ipfix|0', 0);
    for (let id = 256; id < 261; id++) cache.putTemplate(d, tpl(id), 0);
    expect([...d.templates.keys()]).toEqual([258, 259, 260]);
    expect(cache.stats).toMatchObject({ templates: 3, templatesEvicted: 2, templatesLearned: 5 });
  });

  test('the pending buffer is bounded by sets and bytes, and copies what it keeps', () => {
    const cache = new FlowTemplateCache({ pendingMaxSets: 2, pendingMaxBytes: 100 });
    const d = cache.domain('x|ipfix|0', 0);
    const body = Buffer.alloc(40, 1);
    expect(cache.bufferSet(d, 300, body, header, 0)).toBe(true);
    body.fill(9); // the caller's buffer is reused: the held copy must not change
    expect(cache.bufferSet(d, 300, Buffer.alloc(70), header, 0)).toBe(false); // 110 bytes > 100
    expect(cache.bufferSet(d, 301, Buffer.alloc(40), header, 0)).toBe(true);
    expect(cache.bufferSet(d, 302, Buffer.alloc(4), header, 0)).toBe(false); // 3 sets > 2
    expect(cache.stats).toMatchObject({ pendingSets: 2, pendingBytes: 80, setsDroppedFull: 2, setsBuffered: 2 });
    const taken = cache.takePending(d, 300, 1);
    expect(taken).toHaveLength(1);
    expect(taken[0].body.every((b) => b === 1)).toBe(true);
    expect(cache.stats).toMatchObject({ pendingSets: 1, pendingBytes: 40, setsReplayed: 1 });
  });

  test('pendingMaxSets 0 disables buffering', () => {
    const cache = new FlowTemplateCache({ pendingMaxSets: 0 });
    expect(cache.bufferSet(cache.domain('x|ipfix|0', 0), 300, Buffer.alloc(8), header, 0)).toBe(false);
  });
});

describe('FlowTemplateCache lifetime', () => {
  test('sweep drops templates past the timeout and stale pending sets', () => {
    const cache = new FlowTemplateCache({ templateTimeoutMs: 1000, pendingMaxAgeMs: 500 });
    const d = cache.domain('x|ipfix|0', 0);
    cache.putTemplate(d, tpl(256, 0), 0);
    cache.putTemplate(d, tpl(257, 0, false), 0); // TCP: never expires
    cache.bufferSet(d, 300, Buffer.alloc(8), header, 0);
    cache.sweep(2000);
    expect([...d.templates.keys()]).toEqual([257]);
    expect(cache.stats).toMatchObject({ templates: 1, templatesExpired: 1, pendingSets: 0, setsDroppedExpired: 1 });
  });

  test('templateTimeoutMs 0 keeps templates forever', () => {
    const cache = new FlowTemplateCache({ templateTimeoutMs: 0 });
    const d = cache.domain('x|ipfix|0', 0);
    cache.putTemplate(d, tpl(256, 0), 0);
    expect(cache.getTemplate(d, 256, 365 * 86_400_000)).toBeDefined();
  });

  test('an identical template refreshes; withdrawAll removes only its kind', () => {
    const cache = new FlowTemplateCache();
    const d = cache.domain('x|ipfix|0', 0);
    cache.putTemplate(d, tpl(256, 0), 0);
    cache.putTemplate(d, tpl(256, 50), 50);
    expect(d.templates.get(256)?.refreshedMs).toBe(50);
    expect(d.templates.get(256)?.learnedMs).toBe(0);
    const options = compileTemplate(257, true, [{ enterprise: 0, id: 305, length: 4 }], 1, 'ipfix', 0, true, 0);
    cache.putTemplate(d, options, 0);
    expect(cache.withdrawAll(d, false)).toBe(1);
    expect([...d.templates.keys()]).toEqual([257]);
    expect(cache.stats.templates).toBe(1);
  });

  test('forgetScope drops every domain and pending set of a TCP session', () => {
    const cache = new FlowTemplateCache();
    const s1 = cache.domain(FlowTemplateCache.domainKey('tcp:a', 'ipfix', 1), 0);
    const s2 = cache.domain(FlowTemplateCache.domainKey('tcp:a', 'ipfix', 2), 0);
    const other = cache.domain(FlowTemplateCache.domainKey('tcp:ab', 'ipfix', 1), 0);
    for (const d of [s1, s2, other]) cache.putTemplate(d, tpl(256), 0);
    cache.bufferSet(s1, 300, Buffer.alloc(8), header, 0);
    cache.forgetScope('tcp:a');
    expect(cache.stats).toMatchObject({ domains: 1, templates: 1, pendingSets: 0 });
  });
});
