import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { type DynamicModule, Global, Module, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, commonEnv, kafkaEnv, httpEnv, loadConfig, redactConfig } from '@llmaas/config';
import { type RpcDefinition, type ServiceName } from '@llmaas/contracts';
import { consumerLag, KafkaHealth, KafkaModule, kafkaMicroserviceOptions, setConsumerName, superviseConsumer } from '@llmaas/kafka';
import { createLogger, initTelemetry, type Logger, type Telemetry } from '@llmaas/telemetry';
import { type FastifyServerOptions } from 'fastify';
import { type Consumer } from '@llmaas/kafka';
import { z } from 'zod';

import { HealthController } from './health.controller.js';
import { NestJsonLogger } from './nest-logger.js';
import { ReadinessRegistry } from './readiness.registry.js';
import { KAFKA_CONNECTION, SERVICE_CONFIG, SERVICE_INFO, TELEMETRY, type ServiceInfo } from './service-context.js';
import { createStatusController } from './status.controller.js';

export interface ServiceDefinition<Shape extends z.ZodRawShape> {
  readonly name: ServiceName;
  readonly defaultPort: number;
  /** The service's own variables; common, Kafka and HTTP variables are added. */
  readonly env: Shape;
  /** The answer to `<service>.status`, for services that answer RPCs. */
  readonly status?: RpcDefinition;
  /** Whether the service consumes Kafka (events or RPC requests): starts the Nest Kafka server. */
  readonly consumes: boolean;
  /** RPCs the service calls (their reply topics are subscribed). */
  readonly calls?: readonly RpcDefinition[];
  /**
   * `shared` (default): replicas split the partitions, each message handled once per service.
   * `per-instance`: every replica sees every message (e.g. commands a replica filters for itself).
   */
  readonly consumerGroup?: 'shared' | 'per-instance';
  /** Consumers in parallel across partitions. */
  readonly consumerConcurrency?: number;
  /** The service's own modules, built from its validated config. */
  readonly modules: (config: z.infer<z.ZodObject<Shape & BaseShape>>) => ModuleMetadata['imports'];
  readonly controllers?: Type<unknown>[];
  readonly providers?: Provider[];
  /** Options for the Fastify instance (body limit, request ids). */
  readonly fastify?: (config: z.infer<z.ZodObject<Shape & BaseShape>>) => FastifyServerOptions;
  /** Hooks, filters and the like, set before the port opens. */
  readonly configureApp?: (app: NestFastifyApplication) => void;
  /** Runs once the HTTP port is open and before Kafka consumers start (e.g. migrations). */
  readonly beforeStart?: (app: NestFastifyApplication, logger: Logger) => Promise<void>;
}

const baseShape = { ...commonEnv, ...kafkaEnv, ...httpEnv(0) };
type BaseShape = typeof baseShape;
/** The variables every service has, whatever its own. */
export type BaseConfig = z.infer<z.ZodObject<BaseShape>>;

function readVersion(): string {
  try {
    const entry = process.argv[1] ?? '.';
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Exits with a message naming every bad variable, before anything else starts. */
function loadOrExit<Shape extends z.ZodRawShape>(name: string, schema: z.ZodObject<Shape>): z.infer<z.ZodObject<Shape>> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: name, msg: error.message, problems: error.problems })}\n`,
    );
    process.exit(1);
  }
}

/**
 * Boots one platform service: validated config, telemetry, JSON logs, a Fastify HTTP port with
 * /healthz, /readyz and /metrics, the Kafka client, and (when it consumes) the Nest Kafka server.
 * Kafka being down at start does not kill the process: it stays unready and keeps trying.
 */
export async function runService<Shape extends z.ZodRawShape>(def: ServiceDefinition<Shape>): Promise<void> {
  const schema = z.object({ ...baseShape, ...httpEnv(def.defaultPort), ...def.env });
  const config = loadOrExit(def.name, schema) as z.infer<z.ZodObject<Shape & BaseShape>> & z.infer<z.ZodObject<BaseShape>>;
  const info: ServiceInfo = { name: def.name, instance: `${def.name}-${randomBytes(4).toString('hex')}`, version: readVersion(), startedAt: new Date() };
  const telemetry = await initTelemetry({ service: def.name, instance: info.instance, version: info.version, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: config.OTEL_TRACES_SAMPLER_ARG });
  const logger = createLogger(def.name, config.LOG_LEVEL, info.instance);
  setConsumerName(def.name);
  logger.info({ config: redactConfig(schema, config as Record<string, unknown>) }, 'starting');

  const connection = {
    clientId: def.name,
    brokers: config.KAFKA_BROKERS.split(','),
    log: (level: 'error' | 'warn', message: string, extra: Record<string, unknown>) => logger[level](extra, message),
  };

  @Global()
  @Module({
    providers: [
      { provide: SERVICE_INFO, useValue: info },
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: TELEMETRY, useValue: telemetry satisfies Telemetry },
      { provide: KAFKA_CONNECTION, useValue: connection },
      ReadinessRegistry,
    ],
    exports: [SERVICE_INFO, SERVICE_CONFIG, TELEMETRY, KAFKA_CONNECTION, ReadinessRegistry],
  })
  class ServiceCoreModule {}

  const rootModule: DynamicModule = {
    module: class ServiceRootModule {},
    imports: [
      ServiceCoreModule,
      KafkaModule.forRoot({ connection, replyGroupId: `${info.instance}-replies`, calls: def.calls ?? [] }),
      ...(def.modules(config) ?? []),
    ],
    controllers: [HealthController, ...(def.status ? [createStatusController(def.status)] : []), ...(def.controllers ?? [])],
    providers: def.providers ?? [],
  };

  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(rootModule, new FastifyAdapter({ bodyLimit: 32 * 1024 * 1024, ...def.fastify?.(config) }), {
      logger: new NestJsonLogger(logger),
      abortOnError: false,
    });
  } catch (error) {
    // A start-up failure (a refused migration, a database that never answered) ends the process
    // with one JSON line saying why, like every other log line.
    logger.fatal({ err: error instanceof Error ? error.stack : String(error) }, `${def.name} could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  def.configureApp?.(app);
  const kafkaHealth = app.get(KafkaHealth);
  app.get(ReadinessRegistry).register('kafka', () => kafkaHealth.isReady());

  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info({ port: config.HTTP_PORT, host: config.HTTP_HOST }, `${def.name} listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);

  // Lag of this process's consumer groups (they register as they start); readings run off the start path.
  consumerLag.start(connection);
  if (def.beforeStart) await def.beforeStart(app, logger);
  if (def.consumes) {
    const groupId = def.consumerGroup === 'per-instance' ? info.instance : def.name;
    const options = kafkaMicroserviceOptions(connection, groupId, def.consumerConcurrency ?? 4);
    await startConsumers(app, options, kafkaHealth, logger);
    consumerLag.watch(groupId);
  }
  registerShutdown(app, telemetry, logger);
}

async function startConsumers(app: NestFastifyApplication, options: MicroserviceOptions, health: KafkaHealth, logger: Logger): Promise<void> {
  const microservice = app.connectMicroservice<MicroserviceOptions>(options, { inheritAppConfig: true });
  for (let attempt = 1; ; attempt++) {
    try {
      await app.startAllMicroservices();
      break;
    } catch (error) {
      logger.warn({ attempt, err: error instanceof Error ? error.message : String(error) }, 'kafka consumers not started yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const [, consumer] = microservice.unwrap<[unknown, Consumer, unknown]>();
  // startAllMicroservices resolves once the group is joined.
  health.track('consumers', consumer, true);
  // Nest's Kafka server subscribes and runs its consumer in bindEvents; doing it again revives it.
  const server = (microservice as unknown as { serverInstance: { bindEvents: (c: Consumer) => Promise<void> } }).serverInstance;
  superviseConsumer(consumer, () => server.bindEvents(consumer), (level, msg, extra) => logger[level](extra ?? {}, msg));
  logger.info('kafka consumers running');
}

function registerShutdown(app: NestFastifyApplication, telemetry: Telemetry, logger: Logger): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void Promise.all([consumerLag.stop(), app.close()])
      .then(() => telemetry.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
