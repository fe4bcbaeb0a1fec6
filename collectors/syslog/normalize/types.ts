import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';

/**
 * What the collector knows that the message does not. `timezone` is the IANA zone the collector
 * reads header times without a zone in (`syslog.timezone`); device times inside a message that
 * carry no zone either (FortiOS `date=`/`time=` without `tz=`) are read in it too. Absent: UTC.
 */
export interface NormalizeContext {
  timezone?: string;
}

/**
 * One vendor's normalizer: refines the base event in place. Returns true when it recognised the
 * message and extracted its fields; false when the vendor is known but the message is not (the
 * normalizer may still have set `event.dataset` and `observer.*` to name the vendor).
 */
export type SyslogNormalizer = (msg: SyslogMessage, event: EcsEvent, ctx: NormalizeContext) => boolean;
