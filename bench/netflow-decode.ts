/**
 * Flow decoding speed per format, on the real exporter captures in collectors/netflow/testdata, replayed
 * in a loop on one core (templates stay cached, as with a live exporter). Decode only: no sockets, no
 * normalization. For scale: nfcapd received ~646k flows/s on this kind of machine (TEST-PEERS.md).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/netflow-decode.js [seconds per format, default 2]
 */
import { decodeFlowPacket, FlowTemplateCache } from '../collectors/netflow/decode';
import { NETFLOW_CAPTURES, SFLOW_CAPTURES, readCapture, type CaptureName } from '../collectors/netflow/testdata/captures';

interface Result {
  capture: string;
  flows: number;
  packets: number;
  bytes: number;
  seconds: number;
  errors: number;
}

function run(capture: CaptureName, seconds: number): Result {
  const packets = readCapture(capture);
  const cache = new FlowTemplateCache();
  const ctx = { exporter: '192.0.2.1', receivedMs: Date.now() };
  // Warm-up pass (JIT, templates), not timed.
  for (let i = 0; i < 200; i++) for (const p of packets) decodeFlowPacket(p, ctx, cache);
  let flows = 0;
  let sent = 0;
  let bytes = 0;
  let errors = 0;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const t0 = process.hrtime.bigint();
  let now = t0;
  while (now < deadline) {
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < packets.length; i++) {
        const r = decodeFlowPacket(packets[i], ctx, cache);
        flows += r.flows.length;
        if (r.error !== null) errors++;
        bytes += packets[i].length;
      }
      sent += packets.length;
    }
    now = process.hrtime.bigint();
  }
  return { capture, flows, packets: sent, bytes, seconds: Number(now - t0) / 1e9, errors };
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 2);
  const format = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`netflow decode benchmark: node ${process.version}, ${seconds} s per capture, one core`);
  console.log('capture           flows/s     datagrams/s  MB/s   flows/datagram  errors');
  for (const capture of [...NETFLOW_CAPTURES, ...SFLOW_CAPTURES]) {
    const r = run(capture, seconds);
    console.log(
      `${r.capture.padEnd(16)}  ${format(r.flows / r.seconds).padStart(10)}  ${format(r.packets / r.seconds).padStart(11)}  ` +
        `${(r.bytes / r.seconds / 1e6).toFixed(1).padStart(5)}  ${(r.flows / r.packets).toFixed(1).padStart(14)}  ${r.errors}`,
    );
  }
}

main();
