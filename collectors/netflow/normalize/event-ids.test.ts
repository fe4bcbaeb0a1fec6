import { FlowEventIds } from './event-ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('UUID v4 shaped, unique within a generator (past the 16-bit rollover) and across generators', () => {
  const a = new FlowEventIds();
  const b = new FlowEventIds();
  const seen = new Set<string>();
  for (let i = 0; i < 140_000; i++) {
    for (const id of [a.next(), b.next()]) {
      if (!UUID_V4.test(id)) throw new Error(`not a UUID: ${id}`);
      seen.add(id);
    }
  }
  expect(seen.size).toBe(280_000);
  // The counter is the id's last 48 bits, in order.
  const c = new FlowEventIds();
  const first = c.next();
  for (let i = 1; i < 70_000; i++) c.next();
  expect(parseInt(c.next().slice(24), 16) - parseInt(first.slice(24), 16)).toBe(70_000);
});
