export * from './action-log';
export * from './api-limits';
export * from './connectors';
export * from './catalog';
export * from './orders';
export * from './subscriptions';
export * from './export';
