/** Input format detection and line reading across chunk boundaries (bytes, not characters). */
import { Readable } from 'node:stream';
import { detectFormat, EventFileReader, type InputRecord } from './event-input';

function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function readAll(reader: EventFileReader): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of reader.records()) out.push(r);
  return out;
}

describe('detectFormat', () => {
  it.each<[string, string]>([
    ['{"@timestamp": "2025-03-01T10:00:00Z"}', 'jsonl'],
    ['{', 'json'],
    ['[{"a": 1},', 'json'],
    ['Record 17', 'json'],
    ['<38>Mar  1 10:00:00 bastion01 sshd[2211]: Failed password for root', 'syslog'],
    ['2025-03-01T10:00:00+07:00 fw01 date=2025-03-01 type="traffic"', 'syslog'],
  ])('%s → %s', (line, format) => {
    expect(detectFormat(line)).toBe(format);
  });
});

describe('EventFileReader', () => {
  it('reads JSON lines split mid-character and mid-line, with a BOM, CRLF and blank lines', async () => {
    const text = '\uFEFF{"message": "Đăng nhập thất bại cho người dùng root"}\r\n\r\n{"n": 2}\n{"n": 3}';
    for (const size of [1, 2, 3, 5, 64]) {
      const reader = new EventFileReader(chunked(text, size));
      expect(await readAll(reader)).toEqual([
        { ok: true, line: 1, event: { message: 'Đăng nhập thất bại cho người dùng root' } },
        { ok: true, line: 3, event: { n: 2 } },
        { ok: true, line: 4, event: { n: 3 } },
      ]);
      expect(reader.format).toBe('jsonl');
    }
  });

  it('honours a forced format', async () => {
    const reader = new EventFileReader(chunked('{"a": 1}\n', 4), { format: 'syslog', syslogLineToEvent: (line) => ({ '@timestamp': '2025-03-01T10:00:00Z', message: line, event: { id: 'x' } }) });
    expect(await readAll(reader)).toEqual([{ ok: true, line: 1, event: { '@timestamp': '2025-03-01T10:00:00Z', message: '{"a": 1}', event: { id: 'x' } } }]);
  });

  it('reports a converter failure as an invalid record', async () => {
    const reader = new EventFileReader(chunked('<13>hello\n', 4), {
      syslogLineToEvent: () => {
        throw new Error('boom');
      },
    });
    expect(await readAll(reader)).toEqual([{ ok: false, line: 1, reason: 'syslog line not converted: boom' }]);
  });
});
