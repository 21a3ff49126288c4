export * from './action-log';
export * from './api-limits';
export * from './connectors';
export * from './catalog';
export * from './orders';
