/**
 * The `%FACILITY-SEVERITY-MNEMONIC:` tag of Cisco IOS, ASA, FTD and NX-OS messages. The parser
 * usually finds it (SyslogMessage.ciscoTag); this reads it again when the parser missed a variant,
 * such as ASA's `%ASA-auth-4-113004:` with a logging class, and finds where the text after it starts.
 */
import type { SyslogMessage } from '../parse/types';

export interface CiscoTag {
  facility: string;
  severity: number;
  mnemonic: string;
}

export interface CiscoTagged {
  tag: CiscoTag;
  /** The message text after `%TAG: `. */
  body: string;
}

function isTagChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (c >= 97 && c <= 122);
}

/** Reads `%FAC-SEV-MNEMONIC: body` (or `%FAC-class-SEV-MNEMONIC:`) starting at `at`. */
function readTagAt(text: string, at: number): CiscoTagged | undefined {
  const colon = text.indexOf(':', at);
  if (colon < 0 || colon - at > 64) return undefined;
  const parts = text.slice(at + 1, colon).split('-');
  if (parts.length < 3 || parts.length > 4) return undefined;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (part.length === 0) return undefined;
    for (let i = 0; i < part.length; i++) if (!isTagChar(part.charCodeAt(i))) return undefined;
  }
  const sev = parts[parts.length - 2];
  if (sev.length !== 1 || sev.charCodeAt(0) < 48 || sev.charCodeAt(0) > 55) return undefined;
  const body = text.charCodeAt(colon + 1) === 32 ? text.slice(colon + 2) : text.slice(colon + 1);
  return { tag: { facility: parts[0], severity: sev.charCodeAt(0) - 48, mnemonic: parts[parts.length - 1] }, body };
}

/**
 * Returns the tag and the text after it, whether the parser already stripped the tag from the
 * message or left it (possibly behind a sequence number and a timestamp).
 */
export function readCiscoTagged(msg: SyslogMessage): CiscoTagged | undefined {
  const text = msg.message;
  const known = msg.ciscoTag;
  if (known !== undefined) {
    const marker = '%' + known.facility + '-';
    const at = text.indexOf(marker);
    if (at >= 0 && at < 128) {
      const again = readTagAt(text, at);
      if (again !== undefined) return { tag: known, body: again.body };
    }
    return { tag: known, body: text };
  }
  const at = text.charCodeAt(0) === 37 ? 0 : text.indexOf(': %');
  if (at < 0 || at > 128) return undefined;
  return readTagAt(text, at === 0 ? 0 : at + 2);
}

/** ASA-family facilities: every message is numbered (`%ASA-6-302013`, `%ASA-auth-4-113004`). */
export function isAsaFacility(facility: string): boolean {
  const dash = facility.indexOf('-');
  const head = dash < 0 ? facility : facility.slice(0, dash);
  return head === 'ASA' || head === 'FTD' || head === 'FWSM' || head === 'PIX';
}

/** The facility proper: IOS-XR writes `PKT_INFRA-LINK`, ASA with logging classes `ASA-auth`. */
export function baseFacility(facility: string, asa: boolean): string {
  if (asa) {
    const dash = facility.indexOf('-');
    return dash < 0 ? facility : facility.slice(0, dash);
  }
  const dash = facility.lastIndexOf('-');
  return dash < 0 ? facility : facility.slice(dash + 1);
}
