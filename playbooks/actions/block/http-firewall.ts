/**
 * The generic HTTP firewall adapter: a configured request (method, URL and JSON body templated
 * with `ip`, `timeout_seconds`, `reason`, `operation`; auth headers from the config) for firewalls
 * and cloud security groups that expose an API.
 */
import type { BlockIpConfig } from '../../config';
import { compileTemplate, renderText } from '../../template/template';
import type { BlockRequest } from './nftables';

type HttpConfig = BlockIpConfig['http'];

export interface HttpFirewallRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function httpFirewallRequest(cfg: HttpConfig, r: BlockRequest, reason: string): HttpFirewallRequest {
  if (cfg.url === '') throw new Error('playbooks.blockIp.http.url is not set');
  const scope = { ip: r.ip, timeout_seconds: Math.ceil(r.timeoutMs / 1000), reason, operation: r.operation };
  const urlTemplate = r.operation === 'remove' && cfg.removeUrl !== '' ? cfg.removeUrl : cfg.url;
  // Address parts are validated IPs, so they are safe in a URL; the reason is encoded where it lands.
  const url = renderText(compileTemplate(urlTemplate), scope);
  const method = r.operation === 'add' ? cfg.method : cfg.removeMethod;
  const body = method === 'DELETE' ? undefined : renderText(compileTemplate(cfg.body), scope);
  if (body !== undefined) {
    try {
      JSON.parse(body);
    } catch (err) {
      throw new Error(`playbooks.blockIp.http.body does not render to JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  return { method, url, headers: { ...cfg.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body };
}

export async function httpFirewallApply(cfg: HttpConfig, r: BlockRequest, reason: string, signal: AbortSignal): Promise<{ status: number; response: string }> {
  const req = httpFirewallRequest(cfg, r, reason);
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.any([signal, AbortSignal.timeout(cfg.timeoutMs)]) });
  const text = (await res.text()).slice(0, 2000);
  if (res.status < 200 || res.status > 299) throw new Error(`firewall API ${req.method} ${new URL(req.url).origin}${new URL(req.url).pathname} answered ${res.status}: ${text.slice(0, 200)}`);
  return { status: res.status, response: text };
}
