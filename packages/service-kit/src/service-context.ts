import { type ServiceName } from '@llmaas/contracts';

export const SERVICE_INFO = Symbol('SERVICE_INFO');
/** The service's validated config object (the only reader of process.env is run-service). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const TELEMETRY = Symbol('TELEMETRY');
/** The service's Kafka connection settings (client id, brokers, logger), for consumers built outside Nest's transport. */
export const KAFKA_CONNECTION = Symbol('KAFKA_CONNECTION');

export interface ServiceInfo {
  readonly name: ServiceName;
  readonly instance: string;
  readonly version: string;
  readonly startedAt: Date;
}
