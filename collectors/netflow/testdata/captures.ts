/** Loads the captured exporter datagrams in this folder (one pkt-NNNN.bin per UDP datagram). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const NETFLOW_CAPTURES = ['softflowd-v5', 'softflowd-v9', 'softflowd-ipfix', 'pmacct-v9', 'pmacct-ipfix'] as const;
export const SFLOW_CAPTURES = ['pmacct-sflow'] as const;
export type CaptureName = (typeof NETFLOW_CAPTURES)[number] | (typeof SFLOW_CAPTURES)[number];

/** This folder in the source tree, also when running compiled from dist/ (the .bin files are not copied). */
export function testdataDir(): string {
  if (existsSync(join(__dirname, 'softflowd-v5'))) return __dirname;
  return resolve(__dirname, '../../../../collectors/netflow/testdata');
}

export function readCapture(name: CaptureName): Buffer[] {
  const dir = join(testdataDir(), name);
  return readdirSync(dir)
    .filter((f) => /^pkt-\d+\.bin$/.test(f))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
}

export function readExpected(file: string): string {
  return readFileSync(join(testdataDir(), 'expected', file), 'utf8');
}
