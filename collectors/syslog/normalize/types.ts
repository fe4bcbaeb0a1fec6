import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';

/**
 * One vendor's normalizer: refines the base event in place. Returns true when it recognised the
 * message and extracted its fields; false when the vendor is known but the message is not (the
 * normalizer may still have set `event.dataset` and `observer.*` to name the vendor).
 */
export type SyslogNormalizer = (msg: SyslogMessage, event: EcsEvent) => boolean;
