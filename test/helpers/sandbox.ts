// A sandbox for the length of one piece of work, outside jest's hooks (the replay scenarios run
// under scripts/record-history.ts too): its contract violations must be none when the work ends.
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sim';

export async function withSandbox<T>(options: SandboxOptions, work: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox(options);
  try {
    const result = await work(sandbox);
    const violations = sandbox.takeViolations();
    if (violations.length) throw new Error(`contract violations:\n${violations.join('\n')}`);
    return result;
  } finally {
    await sandbox.stop();
  }
}
