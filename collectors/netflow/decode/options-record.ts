/** v9/IPFIX options data records: the state later data records need, kept in their FlowDomain. */
import { readU16, readUnsigned } from './bytes';
import * as IE from './information-elements';
import { readSamplingField, resetScratch, scratch, scratchSamplingRate } from './record-scratch';
import type { FlowTemplate } from './template';
import type { FlowDomain } from './template-cache';

/** Sampler IDs remembered per domain; a flood of fake option records cannot grow it past this. */
const MAX_SAMPLERS_PER_DOMAIN = 1024;

/** Options data: keep what later data records need (sampling per sampler or exporter, system init time). */
export function readOptionsRecord(buf: Buffer, pos: number, tpl: FlowTemplate, d: FlowDomain): void {
  resetScratch();
  const fields = tpl.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let len = f.length;
    if (len < 0) {
      len = buf[pos];
      pos++;
      if (len === 255) {
        len = readU16(buf, pos);
        pos += 2;
      }
    }
    const op = f.op;
    if (op === IE.OP_SYS_INIT_MS) scratch.sysInitMs = readUnsigned(buf, pos, len);
    else if (op >= IE.OP_SAMPLING_INTERVAL && op <= IE.OP_SAMPLING_PROBABILITY) readSamplingField(buf, pos, len, op);
    pos += len;
  }
  if (scratch.sysInitMs > 0) d.systemInitMs = scratch.sysInitMs;
  const rate = scratchSamplingRate();
  if (rate <= 0) return;
  if (scratch.samplerId >= 0) {
    if (d.samplerRates.size >= MAX_SAMPLERS_PER_DOMAIN && !d.samplerRates.has(scratch.samplerId)) d.samplerRates.clear();
    d.samplerRates.set(scratch.samplerId, rate);
  } else {
    d.samplingRate = rate;
  }
}
