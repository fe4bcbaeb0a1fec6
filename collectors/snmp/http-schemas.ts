/** Request schemas the devices and discovery routes share. */
import { z } from 'zod';
import { deviceSnmpSchema, type DeviceSnmpConfig } from './config';
import { DES_UNSUPPORTED_HINT, desSupported } from './usm';

/** Protocol names as operators write them (`SHA-256`, `AES-192`, `AES256-C`) → the config's (`sha256`, `aes192`, `aes256c`). */
function normalizeProtocols(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object') return raw;
  const out = { ...(raw as Record<string, unknown>) };
  for (const k of ['auth', 'priv']) {
    const v = out[k];
    if (v !== null && typeof v === 'object' && typeof (v as { protocol?: unknown }).protocol === 'string') {
      out[k] = { ...(v as object), protocol: (v as { protocol: string }).protocol.toLowerCase().replace(/[-_ ]/g, '') };
    }
  }
  return out;
}

export const snmpInput = z.preprocess(normalizeProtocols, deviceSnmpSchema).superRefine((s, ctx) => {
  if (s.version === '3' && s.priv?.protocol === 'des' && !desSupported()) ctx.addIssue({ code: 'custom', path: ['priv', 'protocol'], message: DES_UNSUPPORTED_HINT });
}) as z.ZodType<DeviceSnmpConfig>;

export const tags = z.array(z.string().min(1).max(100)).max(50);
