/** Routes `%FAC-SEV-MNEMONIC` tagged messages: ASA-family firewalls by number, everything else as IOS. */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { normalizeCiscoAsa } from './cisco-asa';
import { normalizeCiscoIos } from './cisco-ios';
import { isAsaFacility, readCiscoTagged } from './cisco-tag';

export function normalizeCisco(msg: SyslogMessage, event: EcsEvent): boolean {
  const tagged = readCiscoTagged(msg);
  if (tagged === undefined) return false;
  return isAsaFacility(tagged.tag.facility) ? normalizeCiscoAsa(tagged, event) : normalizeCiscoIos(tagged, event);
}
