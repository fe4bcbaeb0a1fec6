/** Evidence kinds socnoc computes itself; every other kind is manual evidence (uploaded documents). */
import { agentCoverage } from './agent-coverage';
import { authEventLogging } from './auth-event-logging';
import { idsPresence } from './ids-presence';
import { incidentMttd } from './incident-mttd';
import { incidentMttr } from './incident-mttr';
import { incidentRegister } from './incident-register';
import { incidentReportTimeliness } from './incident-report-timeliness';
import { logFieldCompleteness } from './log-field-completeness';
import { logIntegrity } from './log-integrity';
import { logRetention } from './log-retention';
import { logSourcesCoverage } from './log-sources-coverage';
import { malwareDetections } from './malware-detections';
import { malwareScanFreshness } from './malware-scan-freshness';
import { monitoringReports } from './monitoring-reports';
import { networkDeviceMonitoring } from './network-device-monitoring';
import { ntpSync } from './ntp-sync';
import { siemCorrelationRules } from './siem-correlation-rules';
import { threatIntelFeeds } from './threat-intel-feeds';
import type { EvidenceCalculator } from './types';

export const EVIDENCE_CALCULATORS: ReadonlyMap<string, EvidenceCalculator> = new Map(
  [
    logSourcesCoverage,
    logRetention,
    logFieldCompleteness,
    logIntegrity,
    ntpSync,
    agentCoverage,
    malwareScanFreshness,
    malwareDetections,
    authEventLogging,
    idsPresence,
    networkDeviceMonitoring,
    siemCorrelationRules,
    threatIntelFeeds,
    incidentMttd,
    incidentMttr,
    incidentReportTimeliness,
    incidentRegister,
    monitoringReports,
  ].map((c) => [c.kind, c]),
);
