// Tiny `--name value` parser for benchmark scenarios.
export function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

export function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}

/** Contract checks (every exchange validated against the vendor's spec) are on unless `--no-check-contract`. */
export const contractChecking = (args: string[]): boolean => !flag(args, 'no-check-contract');

export function stringArg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}
