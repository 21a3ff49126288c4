// What activities import: the adapter contract, errors, token providers and the registry.
export * from './adapter';
export * from './errors';
export * from './token-provider';
export { IngramAdapter, INGRAM_CAPABILITIES } from './ingram/adapter';
export { ingramSettingsFromEnv, ingramSettingsSchema, type IngramSettings, type IngramSettingsInput } from './ingram/settings';
