export { loadConfig, type ReelhouseConfig } from './load-config.ts';
export { configSchema, scales, type Scale } from './config-schema.ts';
export { Redacted, redactUrl } from './redacted.ts';
