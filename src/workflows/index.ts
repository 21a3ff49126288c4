// Every workflow the worker registers. Re-exports only.
export * from './engine-check';
