// Every workflow the worker registers. Re-exports only.
export * from './engine-check';
export * from './connector';
export * from './product-sync';
export * from './order-lifecycle';
export * from './order-scan';
export * from './order-status-sweep';
export * from './order-from-opportunity';
