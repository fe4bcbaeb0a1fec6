/**
 * IPFIX messages (RFC 7011): a 16-byte header, then sets: 2 templates, 3 options templates, >= 256 data.
 * Enterprise-specific elements (bit 15 of the element ID + a 4-byte PEN), variable-length fields and
 * template withdrawals (field count 0) are handled; templates live in the FlowTemplateCache under
 * exporter (or TCP session) + observation domain ID. For TCP streams, split messages with IpfixStreamDeframer.
 */
import { isAllZero, readU16, readU32 } from './bytes';
import { decodeDataSet, replayPendingSets } from './data-record';
import { FlowDecodeError, toFlowDecodeError } from './errors';
import { compileTemplate, type RawTemplateField } from './template';
import { FlowTemplateCache, type ExportHeader, type FlowDomain } from './template-cache';
import { newDecodeResult, type FlowDecodeContext, type FlowDecodeResult } from './types';

export const IPFIX_HEADER_LENGTH = 16;
const SET_TEMPLATE = 2;
const SET_OPTIONS_TEMPLATE = 3;
const FIRST_DATA_SET = 256;

export function decodeIpfix(buf: Buffer, ctx: FlowDecodeContext, cache: FlowTemplateCache): FlowDecodeResult {
  const out = newDecodeResult(ctx.recordPool ?? null, ctx.lazyV4Text === true);
  try {
    decodeInto(buf, ctx, cache, out);
  } catch (err) {
    const e = toFlowDecodeError(err, 'ipfix');
    out.error = new FlowDecodeError(e.reason, `ipfix from ${ctx.exporter}: ${e.message}`, e.offset);
  }
  return out;
}

interface TemplateSetContext {
  d: FlowDomain;
  cache: FlowTemplateCache;
  now: number;
  expires: boolean;
  out: FlowDecodeResult;
}

function decodeInto(buf: Buffer, ctx: FlowDecodeContext, cache: FlowTemplateCache, out: FlowDecodeResult): void {
  if (buf.length < IPFIX_HEADER_LENGTH) {
    throw new FlowDecodeError('truncated', `${buf.length} bytes, header needs ${IPFIX_HEADER_LENGTH}`, 0);
  }
  const version = readU16(buf, 0);
  if (version !== 10) throw new FlowDecodeError('bad_version', `version ${version}, expected 10`, 0);
  const length = readU16(buf, 2);
  if (length < IPFIX_HEADER_LENGTH) throw new FlowDecodeError('bad_length', `message length ${length} < 16`, 2);
  if (length > buf.length) {
    throw new FlowDecodeError('truncated', `message length ${length} but ${buf.length} bytes received`, 2);
  }
  const domainId = readU32(buf, 12);
  const hdr: ExportHeader = {
    format: 'ipfix',
    exporter: ctx.exporter,
    sourceId: domainId,
    sequence: readU32(buf, 8),
    exportTimeMs: readU32(buf, 4) * 1000,
    sysUpTimeMs: -1,
  };
  const now = ctx.receivedMs;
  const d = cache.domain(FlowTemplateCache.domainKey(ctx.session ?? ctx.exporter, 'ipfix', domainId), now);
  const tctx: TemplateSetContext = { d, cache, now, expires: ctx.session === undefined, out };
  let pos = IPFIX_HEADER_LENGTH;
  while (pos < length) {
    if (length - pos < 4) throw new FlowDecodeError('truncated', `${length - pos} stray bytes after the last set`, pos);
    const setId = readU16(buf, pos);
    const setLength = readU16(buf, pos + 2);
    if (setLength < 4) throw new FlowDecodeError('bad_length', `set ${setId} length ${setLength} < 4`, pos);
    const end = pos + setLength;
    if (end > length) throw new FlowDecodeError('truncated', `set ${setId} length ${setLength} passes the message end`, pos);
    const kept = out.flows.length;
    try {
      if (setId === SET_TEMPLATE || setId === SET_OPTIONS_TEMPLATE) {
        readTemplateSet(buf, pos + 4, end, setId === SET_OPTIONS_TEMPLATE, tctx);
      } else if (setId >= FIRST_DATA_SET) {
        const tpl = cache.getTemplate(d, setId, now);
        if (tpl !== undefined) decodeDataSet(buf, pos + 4, end, tpl, d, hdr, out);
        else if (cache.bufferSet(d, setId, buf.subarray(pos + 4, end), hdr, now)) out.setsBuffered++;
        else out.setsDropped++;
      }
      // 0, 1 (NetFlow v9 history) and 4-255 are reserved: skipped (RFC 7011 s3.3.2).
    } catch (err) {
      out.flows.length = kept;
      throw err;
    }
    pos = end;
  }
}

function readTemplateSet(buf: Buffer, pos: number, end: number, options: boolean, t: TemplateSetContext): void {
  const setId = options ? SET_OPTIONS_TEMPLATE : SET_TEMPLATE;
  while (end - pos >= 4) {
    const id = readU16(buf, pos);
    const fieldCount = readU16(buf, pos + 2);
    if (id === 0 && isAllZero(buf, pos, end)) return; // padding
    if (fieldCount === 0) {
      // Withdrawal (RFC 7011 s8.1): the set ID as template ID withdraws every template of that kind.
      if (id === setId) t.cache.withdrawAll(t.d, options);
      else if (id >= FIRST_DATA_SET) t.cache.withdrawTemplate(t.d, id);
      else throw new FlowDecodeError('bad_template', `withdrawal of template ID ${id}`, pos);
      pos += 4;
      continue;
    }
    if (id < FIRST_DATA_SET) throw new FlowDecodeError('bad_template', `template ID ${id} < 256`, pos);
    let p = pos + 4;
    let scopeCount = 0;
    if (options) {
      if (end - p < 2) throw new FlowDecodeError('truncated', `options template ${id}: no scope field count`, pos);
      scopeCount = readU16(buf, p);
      p += 2;
      if (scopeCount === 0 || scopeCount > fieldCount) {
        throw new FlowDecodeError('bad_template', `options template ${id}: scope field count ${scopeCount} of ${fieldCount}`, pos);
      }
    }
    const raw: RawTemplateField[] = [];
    for (let i = 0; i < fieldCount; i++) {
      if (end - p < 4) throw new FlowDecodeError('truncated', `template ${id}: field ${i + 1} of ${fieldCount} passes the set end`, p);
      const rawId = readU16(buf, p);
      const length = readU16(buf, p + 2);
      p += 4;
      let enterprise = 0;
      if (rawId & 0x8000) {
        if (end - p < 4) throw new FlowDecodeError('truncated', `template ${id}: field ${i + 1} enterprise number passes the set end`, p);
        enterprise = readU32(buf, p);
        p += 4;
      }
      raw.push({ enterprise, id: rawId & 0x7fff, length });
    }
    const tpl = compileTemplate(id, options, raw, scopeCount, 'ipfix', t.now, t.expires, pos);
    t.cache.putTemplate(t.d, tpl, t.now);
    t.out.templates++;
    replayPendingSets(t.cache, t.d, tpl, t.now, t.out);
    pos = p;
  }
}
