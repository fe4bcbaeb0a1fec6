import { normalizeFixture, normalizeLine } from './testdata/fixtures';

const results = normalizeFixture('json.txt');

describe('generic JSON normalizer', () => {
  it('has three sample lines', () => {
    expect(results).toHaveLength(3);
  });

  it('puts known ECS keys in place (nested and dotted) and keeps the rest under json', () => {
    const { event, normalized } = results[0];
    expect(normalized).toBe(true);
    expect(event).toMatchObject({
      '@timestamp': '2024-03-04T10:15:32.250Z',
      message: 'card declined',
      event: { dataset: 'json', module: 'json', action: 'payment-declined', outcome: 'failure' },
      log: { level: 'warn' },
      source: { ip: '203.0.113.90', port: 51514 },
      user: { name: 'alice' },
      http: { response: { status_code: 402 } },
      json: { order_id: 'A-10023', amount: { value: 129.5, currency: 'EUR' } },
    });
  });

  it('never lets the payload set the event id or dataset', () => {
    const { event } = results[0];
    expect(event.event.id).not.toBe('spoofed-id');
    expect(event.event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.event.original).toBe(results[0].line);
  });

  it('keeps values of the wrong type out of ECS fields', () => {
    const { event } = results[1];
    expect(event.source).toBeUndefined();
    expect(event.user).toBeUndefined();
    expect(event.json).toEqual({ source: { ip: 'not-an-ip', port: 70000 }, user: { name: { nested: true } } });
    expect(event.destination).toEqual({ ip: '10.0.0.8', port: 443 });
    expect(event.tags).toEqual(['a', 'b']);
  });

  it('drops __proto__ keys without touching any prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(results[1].event.json)).toBe(Object.prototype);
    const nested = normalizeLine('<134>Mar  4 10:15:35 app01 x: {"a":{"__proto__":{"polluted":1}},"b.constructor.prototype.polluted":2}');
    expect(nested.normalized).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves broken JSON as an unparsed syslog event', () => {
    expect(results[2].normalized).toBe(false);
    expect(results[2].event.event.dataset).toBe('syslog');
    expect(results[2].event.message).toBe('{"truncated": "json');
  });
});
