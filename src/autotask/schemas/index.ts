// zod schemas for the Autotask entities we use; one file per area. The simulator imports these too.
export * from './common';
export * from './catalog';
export * from './purchasing';
export * from './customers';
export * from './contracts';
export * from './sales';
