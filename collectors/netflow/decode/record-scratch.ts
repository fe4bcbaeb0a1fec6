/**
 * Per-record values of a v9/IPFIX record that only mean something once the whole record is read (times
 * relative to each other, sampling from several elements). One shared object, reset per record: decoding
 * is synchronous, so nothing else can touch it in between.
 */
import { readU32, readUnsigned } from './bytes';
import * as IE from './information-elements';

/** Seconds between the NTP epoch (1900) and the Unix epoch: IPFIX dateTimeMicro/Nanoseconds (RFC 7011 s6.1.9). */
const NTP_UNIX_OFFSET_S = 2208988800;

/** Per-record values that need the whole record before they mean something. Reused: decoding is synchronous. */
export interface RecordScratch {
  startAbs: number;
  endAbs: number;
  startUp: number;
  endUp: number;
  startDeltaUs: number;
  endDeltaUs: number;
  sysInitMs: number;
  durationMs: number;
  samplingInterval: number;
  samplerId: number;
  packetInterval: number;
  packetSpace: number;
  samplingSize: number;
  samplingPopulation: number;
  samplingProbability: number;
}

export const scratch: RecordScratch = {
  startAbs: -1,
  endAbs: -1,
  startUp: -1,
  endUp: -1,
  startDeltaUs: -1,
  endDeltaUs: -1,
  sysInitMs: 0,
  durationMs: -1,
  samplingInterval: 0,
  samplerId: -1,
  packetInterval: 0,
  packetSpace: 0,
  samplingSize: 0,
  samplingPopulation: 0,
  samplingProbability: 0,
};

export function resetScratch(): void {
  scratch.startAbs = -1;
  scratch.endAbs = -1;
  scratch.startUp = -1;
  scratch.endUp = -1;
  scratch.startDeltaUs = -1;
  scratch.endDeltaUs = -1;
  scratch.sysInitMs = 0;
  scratch.durationMs = -1;
  scratch.samplingInterval = 0;
  scratch.samplerId = -1;
  scratch.packetInterval = 0;
  scratch.packetSpace = 0;
  scratch.samplingSize = 0;
  scratch.samplingPopulation = 0;
  scratch.samplingProbability = 0;
}

export function readSamplingField(buf: Buffer, pos: number, len: number, op: number): void {
  switch (op) {
    case IE.OP_SAMPLING_INTERVAL:
      scratch.samplingInterval = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLER_ID:
      scratch.samplerId = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLING_PACKET_INTERVAL:
      scratch.packetInterval = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLING_PACKET_SPACE:
      scratch.packetSpace = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLING_SIZE:
      scratch.samplingSize = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLING_POPULATION:
      scratch.samplingPopulation = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SAMPLING_PROBABILITY:
      scratch.samplingProbability = len === 8 ? buf.readDoubleBE(pos) : buf.readFloatBE(pos);
      break;
  }
}

export function ntpToMs(buf: Buffer, pos: number): number {
  const sec = readU32(buf, pos);
  const frac = readU32(buf, pos + 4);
  return (sec - NTP_UNIX_OFFSET_S) * 1000 + Math.floor(frac / 4294967.296);
}

/** 1-in-N rate the record's own sampling elements state; 0 when they state none. */
export function scratchSamplingRate(): number {
  if (scratch.samplingInterval > 0) return scratch.samplingInterval;
  // PSAMP systematic count-based (RFC 5477 s8.2.2): select `interval` packets, skip `space`.
  if (scratch.packetInterval > 0) return (scratch.packetInterval + scratch.packetSpace) / scratch.packetInterval;
  if (scratch.samplingSize > 0 && scratch.samplingPopulation >= scratch.samplingSize) return scratch.samplingPopulation / scratch.samplingSize;
  if (scratch.samplingProbability > 0 && scratch.samplingProbability <= 1) return 1 / scratch.samplingProbability;
  return 0;
}
