// Every workflow the worker registers. Re-exports only.
export * from './engine-check';
export * from './connector';
export * from './product-sync';
