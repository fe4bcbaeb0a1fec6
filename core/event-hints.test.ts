import type { EcsEvent } from './event';
import { isStorable, NOT_STORED, storableEvents } from './event-hints';

const ev = (id: string, mark: boolean): EcsEvent => (mark ? { '@timestamp': '2026-11-27T00:00:00Z', event: { id }, socnoc: NOT_STORED } : { '@timestamp': '2026-11-27T00:00:00Z', event: { id } });

test('storableEvents drops marked events, keeps order, and returns the same array when nothing is marked', () => {
  const clean = [ev('a', false), ev('b', false)];
  expect(storableEvents(clean)).toBe(clean);
  const mixed = [ev('a', true), ev('b', false), ev('c', true), ev('d', false), ev('e', true)];
  expect(storableEvents(mixed).map((e) => e.event.id)).toEqual(['b', 'd']);
  expect(mixed).toHaveLength(5);
  expect(isStorable({ '@timestamp': 'x', event: { id: 'f' }, socnoc: { store: true } })).toBe(true);
  expect(Object.isFrozen(NOT_STORED)).toBe(true);
});
