// Every workflow the worker registers. Re-exports only.
export * from './engine-check';
export * from './connector';
export * from './product-sync';
export * from './order-lifecycle';
export * from './order-scan';
export * from './order-status-sweep';
export * from './order-from-opportunity';
export * from './customer-export';
export * from './customer-export-company';
export * from './customer-export-command';
export * from './subscription-check';
export * from './subscription-task';
export * from './subscription-mapping';
export * from './customer-import';
