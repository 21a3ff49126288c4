export * from './action-log';
export * from './api-limits';
