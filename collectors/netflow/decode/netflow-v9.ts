/**
 * NetFlow v9 (RFC 3954): a 20-byte header, then flowsets: 0 templates, 1 options templates, >= 256 data.
 * Templates live in the FlowTemplateCache under exporter + source ID.
 */
import { isAllZero, readU16, readU32 } from './bytes';
import { decodeDataSet, replayPendingSets } from './data-record';
import { FlowDecodeError, toFlowDecodeError } from './errors';
import { compileTemplate, type FlowTemplate, type RawTemplateField } from './template';
import { FlowTemplateCache, type ExportHeader, type FlowDomain } from './template-cache';
import { newDecodeResult, type FlowDecodeContext, type FlowDecodeResult } from './types';

const HEADER_LENGTH = 20;
const SET_TEMPLATE = 0;
const SET_OPTIONS_TEMPLATE = 1;
const FIRST_DATA_SET = 256;

export function decodeNetflowV9(buf: Buffer, ctx: FlowDecodeContext, cache: FlowTemplateCache): FlowDecodeResult {
  const out = newDecodeResult(ctx.recordPool ?? null, ctx.lazyV4Text === true);
  try {
    decodeInto(buf, ctx, cache, out);
  } catch (err) {
    const e = toFlowDecodeError(err, 'netflow v9');
    out.error = new FlowDecodeError(e.reason, `netflow v9 from ${ctx.exporter}: ${e.message}`, e.offset);
  }
  return out;
}

function decodeInto(buf: Buffer, ctx: FlowDecodeContext, cache: FlowTemplateCache, out: FlowDecodeResult): void {
  if (buf.length < HEADER_LENGTH) {
    throw new FlowDecodeError('truncated', `${buf.length} bytes, header needs ${HEADER_LENGTH}`, 0);
  }
  const version = readU16(buf, 0);
  if (version !== 9) throw new FlowDecodeError('bad_version', `version ${version}, expected 9`, 0);
  const sourceId = readU32(buf, 16);
  const hdr: ExportHeader = {
    format: 'netflow_v9',
    exporter: ctx.exporter,
    sourceId,
    sequence: readU32(buf, 12),
    exportTimeMs: readU32(buf, 8) * 1000,
    sysUpTimeMs: readU32(buf, 4),
  };
  const now = ctx.receivedMs;
  const d = cache.domain(FlowTemplateCache.domainKey(ctx.session ?? ctx.exporter, 'netflow_v9', sourceId), now);
  const expires = ctx.session === undefined;
  let pos = HEADER_LENGTH;
  while (pos < buf.length) {
    if (buf.length - pos < 4) {
      if (isAllZero(buf, pos, buf.length)) return;
      throw new FlowDecodeError('truncated', `${buf.length - pos} stray bytes after the last flowset`, pos);
    }
    const setId = readU16(buf, pos);
    const setLength = readU16(buf, pos + 2);
    if (setLength < 4) throw new FlowDecodeError('bad_length', `flowset ${setId} length ${setLength} < 4`, pos);
    const end = pos + setLength;
    if (end > buf.length) {
      throw new FlowDecodeError('truncated', `flowset ${setId} length ${setLength} passes the packet end`, pos);
    }
    const kept = out.flows.length;
    try {
      if (setId === SET_TEMPLATE) readTemplates(buf, pos + 4, end, d, cache, now, expires, out);
      else if (setId === SET_OPTIONS_TEMPLATE) readOptionsTemplates(buf, pos + 4, end, d, cache, now, expires, out);
      else if (setId >= FIRST_DATA_SET) readDataSet(buf, pos, end, setId, d, hdr, cache, now, out);
      // 2-255 are reserved: skipped.
    } catch (err) {
      out.flows.length = kept;
      throw err;
    }
    pos = end;
  }
}

function readDataSet(
  buf: Buffer,
  pos: number,
  end: number,
  setId: number,
  d: FlowDomain,
  hdr: ExportHeader,
  cache: FlowTemplateCache,
  now: number,
  out: FlowDecodeResult,
): void {
  const tpl = cache.getTemplate(d, setId, now);
  if (tpl !== undefined) {
    decodeDataSet(buf, pos + 4, end, tpl, d, hdr, out);
  } else if (cache.bufferSet(d, setId, buf.subarray(pos + 4, end), hdr, now)) {
    out.setsBuffered++;
  } else {
    out.setsDropped++;
  }
}

function readTemplates(
  buf: Buffer,
  pos: number,
  end: number,
  d: FlowDomain,
  cache: FlowTemplateCache,
  now: number,
  expires: boolean,
  out: FlowDecodeResult,
): void {
  while (end - pos >= 4) {
    const id = readU16(buf, pos);
    const count = readU16(buf, pos + 2);
    if (id === 0 && isAllZero(buf, pos, end)) return; // padding
    if (id < FIRST_DATA_SET) throw new FlowDecodeError('bad_template', `template ID ${id} < 256`, pos);
    const fieldsEnd = pos + 4 + count * 4;
    if (fieldsEnd > end) throw new FlowDecodeError('truncated', `template ${id}: ${count} fields pass the flowset end`, pos);
    // Exporters resend their templates every few packets: one the domain holds field for field is only
    // refreshed, as putTemplate would, without compiling it again.
    const known = d.templates.get(id);
    if (known !== undefined && !known.options && sameFields(known, buf, pos + 4, count)) {
      known.refreshedMs = now;
      known.expires = expires;
      out.templates++;
      replayPendingSets(cache, d, known, now, out);
      pos = fieldsEnd;
      continue;
    }
    const raw = readFields(buf, pos + 4, count);
    const tpl = compileTemplate(id, false, raw, 0, 'netflow_v9', now, expires, pos);
    cache.putTemplate(d, tpl, now);
    out.templates++;
    replayPendingSets(cache, d, tpl, now, out);
    pos = fieldsEnd;
  }
}

function readOptionsTemplates(
  buf: Buffer,
  pos: number,
  end: number,
  d: FlowDomain,
  cache: FlowTemplateCache,
  now: number,
  expires: boolean,
  out: FlowDecodeResult,
): void {
  while (end - pos >= 6) {
    const id = readU16(buf, pos);
    const scopeLength = readU16(buf, pos + 2);
    const optionLength = readU16(buf, pos + 4);
    if (id === 0 && isAllZero(buf, pos, end)) return; // padding
    if (id < FIRST_DATA_SET) throw new FlowDecodeError('bad_template', `options template ID ${id} < 256`, pos);
    if (scopeLength % 4 !== 0 || optionLength % 4 !== 0) {
      throw new FlowDecodeError('bad_template', `options template ${id}: scope/option lengths ${scopeLength}/${optionLength} not multiples of 4`, pos);
    }
    const fieldsEnd = pos + 6 + scopeLength + optionLength;
    if (fieldsEnd > end) throw new FlowDecodeError('truncated', `options template ${id} passes the flowset end`, pos);
    const scopeCount = scopeLength / 4;
    const raw = readFields(buf, pos + 6, scopeCount + optionLength / 4);
    const tpl = compileTemplate(id, true, raw, scopeCount, 'netflow_v9', now, expires, pos);
    cache.putTemplate(d, tpl, now);
    out.templates++;
    replayPendingSets(cache, d, tpl, now, out);
    pos = fieldsEnd;
  }
}

/** Whether a v9 data template's (type, length) pairs at `pos` are those `t` was compiled from. */
function sameFields(t: FlowTemplate, buf: Buffer, pos: number, count: number): boolean {
  const fields = t.fields;
  if (fields.length !== count) return false;
  for (let i = 0; i < count; i++, pos += 4) {
    const f = fields[i];
    if (f.id !== readU16(buf, pos) || f.length !== readU16(buf, pos + 2) || f.enterprise !== 0) return false;
  }
  return true;
}

function readFields(buf: Buffer, pos: number, count: number): RawTemplateField[] {
  const raw: RawTemplateField[] = [];
  for (let i = 0; i < count; i++, pos += 4) {
    // v9 has no enterprise bit: field types >= 32768 are vendor types (Cisco NSEL, ...), kept as extra.
    raw.push({ enterprise: 0, id: readU16(buf, pos), length: readU16(buf, pos + 2) });
  }
  return raw;
}
