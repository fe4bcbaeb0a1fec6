/** The whole socnoc.yaml schema: core's sections plus one section per capability. */
import { z } from 'zod';
import { coreConfigShape, checkCoreConfig, validateConfig, readConfigFile, ConfigError } from '../core/config';
import { syslogConfigSchema } from '../collectors/syslog/config';
import { checkNetflowConfig, netflowConfigSchema } from '../collectors/netflow/config';
import { checkSnmpConfig, devicesConfigSchema, snmpConfigSchema } from '../collectors/snmp/config';
import { correlationConfigSchema } from '../correlation/config';
import { auditConfigSchema } from '../core/audit/config';
import { consoleConfigSchema } from '../dashboards/config';
import { agentsConfigSchema, DEFAULT_AGENTS_CONFIG } from '../core/agents';
import { incidentsConfigSchema } from '../correlation/incidents';
import { intelConfigSchema } from '../correlation/intel';
import { complianceConfigSchema } from '../dashboards/compliance/config';
import { playbooksConfigSchema, smtpConfigSchema, socEmailSchema } from '../playbooks/config';

export const socnocConfigSchema = z
  .object({
    ...coreConfigShape,
    syslog: syslogConfigSchema,
    netflow: netflowConfigSchema,
    snmp: snmpConfigSchema,
    devices: devicesConfigSchema,
    correlation: correlationConfigSchema,
    audit: auditConfigSchema,
    console: consoleConfigSchema,
    agents: agentsConfigSchema.default(DEFAULT_AGENTS_CONFIG),
    incidents: incidentsConfigSchema.prefault({}),
    intel: intelConfigSchema,
    compliance: complianceConfigSchema,
    smtp: smtpConfigSchema,
    soc_email: socEmailSchema,
    playbooks: playbooksConfigSchema,
  })
  .strict();

export type SocnocConfig = z.infer<typeof socnocConfigSchema>;

export function parseSocnocConfig(raw: unknown, source = 'configuration'): SocnocConfig {
  const config = validateConfig(socnocConfigSchema, raw, source);
  checkCoreConfig(config, source);
  const flowProblems = checkNetflowConfig(config.netflow, new Set(config.agencies.map((a) => a.id)));
  checkSnmpConfig(config.snmp, config.devices, new Set(config.agencies.map((a) => a.id)), source);
  if (flowProblems.length > 0) throw new ConfigError(`invalid configuration in ${source}:\n  ${flowProblems.join('\n  ')}`);
  const names = new Set<string>();
  for (const l of config.syslog.listeners) {
    if (names.has(l.name)) throw new ConfigError(`invalid configuration in ${source}:\n  syslog.listeners: duplicate listener name "${l.name}"`);
    names.add(l.name);
    if (l.agency !== undefined && !config.agencies.some((a) => a.id === l.agency)) {
      throw new ConfigError(`invalid configuration in ${source}:\n  syslog.listeners.${l.name}.agency: unknown agency "${l.agency}"`);
    }
  }
  return config;
}

/** --config PATH, else SOCNOC_CONFIG, else ./socnoc.yaml, else defaults; SOCNOC_DATA_DIR overrides dataDir. */
export function loadSocnocConfig(path?: string, env: NodeJS.ProcessEnv = process.env): SocnocConfig {
  const { raw, source } = readConfigFile(path, env);
  const config = parseSocnocConfig(raw, source);
  if (env.SOCNOC_DATA_DIR) config.dataDir = env.SOCNOC_DATA_DIR;
  return config;
}
