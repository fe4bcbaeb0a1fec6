/** Concatenated JSON split the same way wherever the chunk boundaries fall. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonStreamSplitter, type JsonStreamItem } from './json-stream';

function split(chunks: string[]): JsonStreamItem[] {
  const s = new JsonStreamSplitter();
  const out: JsonStreamItem[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

const TRICKY = [
  'Record 1',
  '{',
  '  "CommandLine": "cmd /c \\"echo }\\" & echo {",',
  '  "Path": "C:\\\\Temp\\\\",',
  '  "List": [1, {"a": "]"}]',
  '}',
  'Record 2',
  '[{"x": 1}, {"y": "\\u007b"}]',
  '{"z": null}',
  '',
].join('\n');

describe('JsonStreamSplitter', () => {
  const whole = split([TRICKY]);

  it('splits objects, array elements and skips evtx_dump record headers, with start lines', () => {
    expect(whole).toEqual([
      { ok: true, line: 2, value: { CommandLine: 'cmd /c "echo }" & echo {', Path: 'C:\\Temp\\', List: [1, { a: ']' }] } },
      { ok: true, line: 8, value: { x: 1 } },
      { ok: true, line: 8, value: { y: '{' } },
      { ok: true, line: 9, value: { z: null } },
    ]);
  });

  it('gives the same result for every split point and for one character at a time', () => {
    for (let i = 0; i <= TRICKY.length; i++) expect(split([TRICKY.slice(0, i), TRICKY.slice(i)])).toEqual(whole);
    expect(split([...TRICKY])).toEqual(whole);
  });

  it('splits the evtx_dump fixture in 7-byte chunks like in one piece', () => {
    const text = readFileSync(join(__dirname, 'testdata', 'sysmon-evtx-dump.json'), 'utf8');
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 7) chunks.push(text.slice(i, i + 7));
    const items = split(chunks);
    expect(items).toEqual(split([text]));
    expect(items.map((it) => it.ok && (it.value as { Event: { System: { EventRecordID: number } } }).Event.System.EventRecordID)).toEqual([4711, 4712, 4713]);
  });

  it('reports invalid JSON and stray text by line, and keeps going', () => {
    expect(split(['{"a": tru}\n', 'stray\n{"b": 2}'])).toEqual([
      { ok: false, line: 1, reason: expect.stringMatching(/^invalid JSON/) },
      { ok: false, line: 2, reason: "expected a JSON object, found 'stray'" },
      { ok: true, line: 3, value: { b: 2 } },
    ]);
  });
});
