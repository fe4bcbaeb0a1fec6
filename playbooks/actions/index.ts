/** Every built-in action, by name. */
import { approvalRequest } from './approval-request';
import { containBlockIp } from './contain-block-ip';
import { containIsolateHost } from './contain-isolate-host';
import { enrichAsset } from './enrich-asset';
import { enrichGeoip } from './enrich-geoip';
import { incidentCreate } from './incident-create';
import { incidentUpdate } from './incident-update';
import { intelLookup } from './intel-lookup';
import { notifyEmail } from './notify-email';
import { notifySyslog } from './notify-syslog';
import { notifyWebhook } from './notify-webhook';
import type { Action } from './types';
import { waitAction } from './wait';

export const BUILTIN_ACTIONS: readonly Action[] = [
  notifyEmail,
  notifyWebhook,
  notifySyslog,
  enrichAsset,
  enrichGeoip,
  intelLookup,
  containBlockIp,
  containIsolateHost,
  incidentCreate,
  incidentUpdate,
  approvalRequest,
  waitAction,
];

/** The built-in actions plus any extra ones (tests, extensions); a later one replaces an earlier of the same name. */
export function actionRegistry(extra: readonly Action[] = []): Map<string, Action> {
  const map = new Map<string, Action>();
  for (const a of [...BUILTIN_ACTIONS, ...extra]) map.set(a.name, a);
  return map;
}

export type { Action, ActionContext, ActionResult, ActionServices, EmailSender, ResumeSignal } from './types';
export { defineAction } from './types';
