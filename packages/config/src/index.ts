export { ConfigError, loadConfig, redactConfig, secret } from './load-config.js';
export { commonEnv, databaseEnv, httpEnv, kafkaEnv, redisEnv } from './env-fragments.js';
