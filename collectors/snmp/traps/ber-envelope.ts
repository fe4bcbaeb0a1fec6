/**
 * RFC 3417 §8: one SNMP message per datagram, a BER SEQUENCE whose length covers the datagram
 * exactly. net-snmp's decoder does not check lengths against the buffer (a truncated datagram
 * decodes with its last value null), so the receiver checks the envelope first.
 */

/** undefined when the envelope is sound, else why not. */
export function checkBerEnvelope(msg: Buffer): string | undefined {
  if (msg.length < 2) return `${msg.length} bytes is no SNMP message`;
  if (msg[0] !== 0x30) return `starts with 0x${msg[0].toString(16).padStart(2, '0')}, not a BER SEQUENCE`;
  let length = msg[1];
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) return `BER length of ${n} bytes is not allowed`;
    if (msg.length < 2 + n) return 'truncated BER length';
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + msg[2 + i];
    header = 2 + n;
  }
  if (header + length !== msg.length) return `BER message of ${header + length} bytes in a datagram of ${msg.length}`;
  return undefined;
}
