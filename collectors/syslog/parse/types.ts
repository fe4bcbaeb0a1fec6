/** What the syslog parsers produce, before vendor normalizers turn it into an ECS event. */

export type SyslogFormat = 'rfc3164' | 'rfc5424' | 'raw';

export interface SyslogMessage {
  format: SyslogFormat;
  /** PRI decoded; undefined when the line had no <PRI>. */
  facility?: number;
  severity?: number;
  /** Epoch milliseconds from the header; undefined when absent or unparseable (the receive time is used instead). */
  timestamp?: number;
  /** True when the header time carried no zone and was read as the configured local time zone. */
  timestampAssumedZone?: boolean;
  /**
   * True when the header time was marked by Cisco's `*` (clock never synchronised): it is left out
   * of `timestamp`, so the event takes the receive time.
   */
  clockUnsynchronized?: boolean;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** RFC 5424 protocol version ("1"). */
  version?: string;
  structuredData?: Record<string, Record<string, string>>;
  /** The MSG part (after the header), without a leading BOM. */
  message: string;
  /** Cisco IOS/ASA style `%FAC-SEV-MNEMONIC:` tag found at the start of the message. */
  ciscoTag?: { facility: string; severity: number; mnemonic: string };
  /** Cisco sequence number (`000123:`) preceding the timestamp. */
  sequence?: number;
}

/** ArcSight Common Event Format: `CEF:Version|Vendor|Product|DevVersion|SignatureID|Name|Severity|Extension`. */
export interface CefRecord {
  version: number;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  /** 0-10, or the string form (Low/Medium/High/Very-High) mapped to a number. */
  severity: number;
  extensions: Record<string, string>;
}

/** IBM QRadar Log Event Extended Format 1.0 / 2.0. */
export interface LeefRecord {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  attributes: Record<string, string>;
}
