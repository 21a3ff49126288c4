// Public surface of the Autotask client.
export * from './client';
export * from './credentials';
export * from './errors';
export * from './limits';
export * from './limits-pg';
export * from './metadata';
export * from './pager';
export * from './query';
export * from './resource';
export * from './schemas';
export * from './dates';
export { Transport, DEFAULT_RETRY, type RetrySettings, type TransportOptions, type RequestSpec } from './transport';
export { ZoneResolver, clearZoneCache, DEFAULT_DISCOVERY_URL, type Zone } from './zone';
