/** Cisco IOS / IOS-XR / NX-OS / ASA / FTD header pieces that precede or replace the RFC 3164 TAG. */
import type { SyslogMessage } from './types';
import { skipSpaces } from './message';

const MAX_TAG_LENGTH = 96;

/**
 * `000123: ` sequence number (IOS `service sequence-numbers`) at `pos`; sets `msg.sequence` and
 * returns the position after it. NX-OS sends an empty one (`<189>: 2026 Nov …`), which is skipped.
 * Returns `pos` unchanged when there is none.
 */
export function readCiscoSequence(line: string, pos: number, end: number, msg: SyslogMessage): number {
  let i = pos;
  let value = 0;
  while (i < end && i - pos < 10) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    i++;
  }
  if (line.charCodeAt(i) !== 58 /* : */ || line.charCodeAt(i + 1) !== 32) return pos;
  if (i > pos) msg.sequence = value;
  return skipSpaces(line, i + 2, end);
}

/**
 * `%FAC-SEV-MNEMONIC:` at `pos` (`%LINK-3-UPDOWN:`, `%ASA-6-302013:`, IOS-XR `%PKT_INFRA-LINK-3-UPDOWN :`).
 * The severity is the first single digit 0-7 between dashes; the facility is everything before it
 * (it may itself contain dashes), the mnemonic everything after. Sets `msg.ciscoTag` and returns the
 * position of the text after the tag, or -1 when this is not a Cisco tag (Huawei `%%01IFNET/4/…`).
 */
export function readCiscoTag(line: string, pos: number, end: number, msg: SyslogMessage): number {
  if (line.charCodeAt(pos) !== 37 /* % */) return -1;
  let severityAt = -1;
  let colon = -1;
  const limit = Math.min(end, pos + MAX_TAG_LENGTH);
  for (let i = pos + 1; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (c === 58) {
      colon = i;
      break;
    }
    if (c === 32) {
      // IOS-XR puts a space before the colon; any other space ends the attempt.
      if (line.charCodeAt(i + 1) !== 58) return -1;
      continue;
    }
    if (c === 45 /* - */ && severityAt < 0 && i > pos + 1) {
      const sev = line.charCodeAt(i + 1) - 48;
      if (sev >= 0 && sev <= 7 && line.charCodeAt(i + 2) === 45) severityAt = i + 1;
    }
  }
  if (colon < 0 || severityAt < 0) return -1;
  let mnemonicEnd = colon;
  while (line.charCodeAt(mnemonicEnd - 1) === 32) mnemonicEnd--;
  if (mnemonicEnd <= severityAt + 2) return -1;
  msg.ciscoTag = {
    facility: line.slice(pos + 1, severityAt - 1),
    severity: line.charCodeAt(severityAt) - 48,
    mnemonic: line.slice(severityAt + 2, mnemonicEnd),
  };
  return skipSpaces(line, colon + 1, end);
}
