/** The `syslog:` section of socnoc.yaml. */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

const listenerBase = {
  name: z.string().min(1),
  host: z.string().default('::'),
  port,
  /** Agency for everything this listener receives, unless a source CIDR maps it more precisely. */
  agency: z.string().optional(),
};

export const syslogListenerSchema = z.discriminatedUnion('protocol', [
  z.object({ ...listenerBase, protocol: z.literal('udp') }).strict(),
  z.object({ ...listenerBase, protocol: z.literal('tcp') }).strict(),
  z
    .object({
      ...listenerBase,
      protocol: z.literal('tls'),
      /** PEM files; when both are absent socnoc generates a self-signed pair in the data folder. */
      cert: z.string().optional(),
      key: z.string().optional(),
      /** CA bundle used to verify client certificates. */
      ca: z.string().optional(),
      requireClientCert: z.boolean().default(false),
    })
    .strict(),
]);
export type SyslogListenerConfig = z.infer<typeof syslogListenerSchema>;

export const DEFAULT_SYSLOG_LISTENERS: SyslogListenerConfig[] = [
  { name: 'udp', protocol: 'udp', host: '::', port: 5514 },
  { name: 'tcp', protocol: 'tcp', host: '::', port: 5514 },
  { name: 'tls', protocol: 'tls', host: '::', port: 6514, requireClientCert: false },
];

const defaults = {
  enabled: true,
  maxMessageSize: 65536,
  udpReceiveBufferBytes: 4 * 1024 * 1024,
  udpReceiveThread: false,
  udpReceiveThreadMaxBytes: 64 * 1024 * 1024,
  tcpIdleTimeoutSeconds: 600,
  maxConnections: 10_000,
  timezone: 'UTC',
  listeners: DEFAULT_SYSLOG_LISTENERS,
};

export const syslogConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    maxMessageSize: z.number().int().min(480).max(16 * 1024 * 1024).default(defaults.maxMessageSize),
    udpReceiveBufferBytes: z.number().int().positive().default(defaults.udpReceiveBufferBytes),
    /**
     * Read UDP sockets in a thread of their own (core/net/udp-receive-thread.ts). Off by default: it
     * absorbs bursts, but under sustained overload it reads (and then drops) what the kernel would
     * have dropped for free, so it loses more (collectors/syslog/listen/udp.ts has the figures).
     */
    udpReceiveThread: z.boolean().default(defaults.udpReceiveThread),
    /** Datagram bytes the receive thread may hold handed over and not yet handled; beyond, dropped and counted. */
    udpReceiveThreadMaxBytes: z.number().int().min(65_536).default(defaults.udpReceiveThreadMaxBytes),
    tcpIdleTimeoutSeconds: z.number().int().positive().default(defaults.tcpIdleTimeoutSeconds),
    maxConnections: z.number().int().positive().default(defaults.maxConnections),
    /** Zone for RFC 3164 timestamps that carry none (an IANA name such as Asia/Ho_Chi_Minh). */
    timezone: z
      .string()
      .default(defaults.timezone)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'unknown IANA time zone'),
    listeners: z.array(syslogListenerSchema).default(defaults.listeners),
  })
  .strict()
  .default(defaults);

export type SyslogConfig = z.infer<typeof syslogConfigSchema>;
