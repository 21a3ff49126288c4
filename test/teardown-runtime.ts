// After each test file: the Temporal Runtime that setup-env.ts installed is shut down once no worker or
// connection uses it (those shut it down themselves when they close). Otherwise its log forwarding keeps
// a lone `npx jest <file>` from exiting, and every file's runtime lingers in Jest's worker process.
import { Runtime } from '@temporalio/worker';

afterAll(async () => {
  const runtime = Runtime._instance as unknown as { shutdownIfIdle(): Promise<void> } | undefined;
  await runtime?.shutdownIfIdle();
});
