/**
 * Flow decoders: bytes in, records out, no sockets. decodeFlowPacket picks the decoder from the version
 * field; listeners that know their port's protocol may call a decoder directly.
 */
import { readU16, readU32 } from './bytes';
import { FlowDecodeError } from './errors';
import { decodeIpfix } from './ipfix';
import { decodeNetflowV5 } from './netflow-v5';
import { decodeNetflowV9 } from './netflow-v9';
import { decodeSflow } from './sflow';
import type { FlowTemplateCache } from './template-cache';
import { newDecodeResult, type FlowDecodeContext, type FlowDecodeResult } from './types';

export { FlowDecodeError, type FlowDecodeErrorReason } from './errors';
export { decodeIpfix } from './ipfix';
export { IpfixStreamDeframer } from './ipfix-stream';
export { decodeNetflowV5 } from './netflow-v5';
export { decodeNetflowV9 } from './netflow-v9';
export { decodeSflow } from './sflow';
export {
  FlowTemplateCache,
  DEFAULT_TEMPLATE_CACHE_OPTIONS,
  type FlowTemplateCacheOptions,
  type FlowTemplateCacheStats,
} from './template-cache';
export type * from './types';

/** Any supported datagram: NetFlow v5, v9, IPFIX (version 10) or sFlow v5 (a 32-bit version word). */
export function decodeFlowPacket(buf: Buffer, ctx: FlowDecodeContext, cache: FlowTemplateCache): FlowDecodeResult {
  if (buf.length < 4) {
    const out = newDecodeResult();
    out.error = new FlowDecodeError('truncated', `flow packet from ${ctx.exporter}: ${buf.length} bytes`, 0);
    return out;
  }
  const version = readU16(buf, 0);
  if (version === 9) return decodeNetflowV9(buf, ctx, cache);
  if (version === 10) return decodeIpfix(buf, ctx, cache);
  if (version === 5) return decodeNetflowV5(buf, ctx);
  if (version === 0 && readU32(buf, 0) === 5) return decodeSflow(buf, ctx);
  const out = newDecodeResult();
  out.error = new FlowDecodeError('bad_version', `flow packet from ${ctx.exporter}: unknown version ${readU32(buf, 0)}`, 0);
  return out;
}
