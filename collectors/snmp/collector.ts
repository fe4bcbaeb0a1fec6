/** The trap/inform receiver and the poller of one DeviceSource, started and stopped together. */
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics';
import type { IngestSink } from '../../core/pipeline/types';
import type { AgencyResolver } from '../../core/tenancy';
import type { SnmpConfig } from './config';
import type { DeviceSource } from './poll/device-source';
import { createSnmpPoller, type SnmpPoller } from './poll/poller';
import { createSnmpTrapReceiver, type SnmpTrapReceiver } from './traps/receiver';

export interface SnmpCollectorDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  devices: DeviceSource;
}

export interface SnmpCollector {
  readonly traps: SnmpTrapReceiver;
  readonly poller: SnmpPoller;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSnmpCollector(deps: SnmpCollectorDeps, config: SnmpConfig): SnmpCollector {
  const poller = createSnmpPoller(deps, config.poller);
  const traps = createSnmpTrapReceiver({ sink: deps.sink, agencies: deps.agencies, metrics: deps.metrics, logger: deps.logger, devices: (address) => poller.deviceAt(address) }, config.traps);
  return {
    traps,
    poller,
    async start() {
      await traps.start();
      await poller.start();
    },
    async stop() {
      await poller.stop();
      await traps.stop();
    },
  };
}
