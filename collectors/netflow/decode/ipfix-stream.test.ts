import { readCapture } from '../testdata/captures';
import { FlowDecodeError } from './errors';
import { decodeIpfix } from './ipfix';
import { IpfixStreamDeframer } from './ipfix-stream';
import { FlowTemplateCache } from './template-cache';

describe('IPFIX over TCP', () => {
  const messages = readCapture('pmacct-ipfix');
  const stream = Buffer.concat(messages);

  test.each([1, 7, 100, 1500, stream.length])('the pmacct capture as one stream in %d-byte chunks gives back every message', (chunk) => {
    const deframer = new IpfixStreamDeframer();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += chunk) out.push(...deframer.push(stream.subarray(i, i + chunk)));
    expect(out.map((m) => m.toString('hex'))).toEqual(messages.map((m) => m.toString('hex')));
    expect(deframer.bufferedBytes).toBe(0);
  });

  test('decoded as a TCP session, the stream yields all 230 flows', () => {
    const deframer = new IpfixStreamDeframer();
    const cache = new FlowTemplateCache();
    let flows = 0;
    for (let i = 0; i < stream.length; i += 1000) {
      for (const m of deframer.push(stream.subarray(i, i + 1000))) {
        const r = decodeIpfix(m, { exporter: '127.0.0.1', receivedMs: 1, session: 'tcp:127.0.0.1:4000' }, cache);
        expect(r.error).toBeNull();
        flows += r.flows.length;
      }
    }
    expect(flows).toBe(230);
  });

  test('a message that is not IPFIX means lost framing: a typed error, and the messages before it are kept', () => {
    const deframer = new IpfixStreamDeframer();
    expect(deframer.push(messages[0].subarray(0, 10))).toEqual([]);
    expect(deframer.bufferedBytes).toBe(10);
    expect(deframer.error).toBeNull();

    const garbage = Buffer.from('GET / HTTP/1.1\r\n');
    const afterGood = new IpfixStreamDeframer();
    expect(afterGood.push(Buffer.concat([messages[0], messages[1].subarray(0, 20)]))).toEqual([messages[0]]);
    expect(afterGood.push(Buffer.concat([messages[1].subarray(20), garbage, messages[2]]))).toEqual([messages[1]]);
    expect(afterGood.error).toBeInstanceOf(FlowDecodeError);
    expect(afterGood.error?.reason).toBe('bad_version');
    expect(afterGood.error?.offset).toBe(messages[0].length + messages[1].length);
    expect(afterGood.push(messages[3])).toEqual([]);

    const tooShort = new IpfixStreamDeframer();
    expect(tooShort.push(Buffer.from([0, 10, 0, 8, 0, 0, 0, 0]))).toEqual([]);
    expect(tooShort.error?.message).toMatch(/message length 8 < 16 at byte 0/);
  });
});
