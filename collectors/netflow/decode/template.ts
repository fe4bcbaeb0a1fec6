/** A NetFlow v9 / IPFIX (options) template, compiled once so data records decode without lookups. */
import { FlowDecodeError } from './errors';
import { fieldOp, OP_EXTRA, OP_IGNORE, VARIABLE_LENGTH } from './information-elements';

export interface TemplateField {
  /** 0 for IANA / NetFlow v9 field types. */
  enterprise: number;
  id: number;
  /** Bytes on the wire; -1 for an IPFIX variable-length field (65535 in the template). */
  length: number;
  /** Op code from information-elements.ts; OP_IGNORE for v9 scope fields (their types are not IEs). */
  op: number;
}

export interface FlowTemplate {
  id: number;
  /** Options templates describe metadata records (sampling, system init time), not flows. */
  options: boolean;
  fields: TemplateField[];
  scopeFieldCount: number;
  /** Bytes per record when every field is fixed-length; -1 when any is variable. */
  recordLength: number;
  /** Smallest possible record: each variable-length field counts its 1-byte length prefix. */
  minRecordLength: number;
  /** True when some field lands in FlowRecord.extra. */
  hasExtra: boolean;
  /** Field layout as text, to tell a refresh from a redefinition. */
  signature: string;
  learnedMs: number;
  refreshedMs: number;
  /** False for templates from a reliable transport (IPFIX over TCP): those end only by withdrawal. */
  expires: boolean;
}

export interface RawTemplateField {
  enterprise: number;
  id: number;
  length: number;
}

/** Largest record a template may describe: a UDP datagram cannot carry more. */
const MAX_RECORD_LENGTH = 65535;

export function compileTemplate(
  id: number,
  options: boolean,
  raw: RawTemplateField[],
  scopeFieldCount: number,
  dialect: 'netflow_v9' | 'ipfix',
  nowMs: number,
  expires: boolean,
  offset: number,
): FlowTemplate {
  if (raw.length === 0) throw new FlowDecodeError('bad_template', `template ${id}: no fields`, offset);
  const fields: TemplateField[] = [];
  let fixed = 0;
  let min = 0;
  let variable = false;
  let hasExtra = false;
  let signature = '';
  const v9 = dialect === 'netflow_v9';
  for (let i = 0; i < raw.length; i++) {
    const f = raw[i];
    // NetFlow v9 scope field types (1 system, 2 interface, 3 line card, 4 cache, 5 template) are their own
    // numbering (RFC 3954 s6.1), not information elements: type 2 there is not packetDeltaCount.
    const op = v9 && i < scopeFieldCount ? OP_IGNORE : fieldOp(f.enterprise, f.id, f.length);
    if (op === OP_EXTRA) hasExtra = true;
    // Only IPFIX has variable-length fields (RFC 7011 s7); in v9, 65535 is just a (useless) length.
    const isVariable = f.length === VARIABLE_LENGTH && !v9;
    if (isVariable) {
      variable = true;
      min += 1;
    } else {
      fixed += f.length;
      min += f.length;
    }
    fields.push({ enterprise: f.enterprise, id: f.id, length: isVariable ? -1 : f.length, op });
    signature += f.enterprise + '.' + f.id + '/' + f.length + ',';
  }
  // A zero-size record would let a data set hold endless records.
  if (min === 0) throw new FlowDecodeError('bad_template', `template ${id}: records of zero length`, offset);
  if (fixed > MAX_RECORD_LENGTH) {
    throw new FlowDecodeError('bad_template', `template ${id}: record length ${fixed} exceeds ${MAX_RECORD_LENGTH}`, offset);
  }
  return {
    id,
    options,
    fields,
    scopeFieldCount,
    recordLength: variable ? -1 : fixed,
    minRecordLength: min,
    hasExtra,
    signature,
    learnedMs: nowMs,
    refreshedMs: nowMs,
    expires,
  };
}
