export { runService, type BaseConfig, type ServiceDefinition } from './run-service.js';
export { ReadinessRegistry, type DependencyCheck } from './readiness.registry.js';
export { KAFKA_CONNECTION, SERVICE_CONFIG, SERVICE_INFO, type ServiceInfo } from './service-context.js';
export { CatalogDirectory } from './catalog-directory.service.js';
