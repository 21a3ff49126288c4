// Workflow tests connect to the run's dev server (see global-setup.ts) with our encrypting codec.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDataConverter } from '../../src/client/connection';
import { parseKeyRing, type KeyRing } from '../../src/crypto/keys';
import type { Database } from '../../db';
import type { ApiLimiter } from '../../src/autotask/limits';
import { buildWorkflowBundleFile, createWorker } from '../../src/worker';

/** A fixed test key: test fixtures only, never a deployment's key (recorded histories use it). */
export const TEST_KEY_SPEC = 'test1:dGVzdC1vbmx5LWtleS0zMi1ieXRlcy1sb25nLi4uLi4=';
export const testKeyRing = (): KeyRing => parseKeyRing(TEST_KEY_SPEC);

export async function createTestEnv(ring: KeyRing = testKeyRing()): Promise<TestWorkflowEnvironment> {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run tests through jest (global-setup starts the server)');
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default', client: { dataConverter: createDataConverter(ring) } });
}

/** A task queue of its own for each test, so workers of different tests never share work. */
export const uniqueTaskQueue = (name: string): string => `test-${name}-${randomUUID().slice(0, 8)}`;

/** A worker with the real activities on `taskQueue`, wired like the engine's. */
export async function createTestWorker(env: TestWorkflowEnvironment, database: Database, taskQueue: string, options: { limiter?: ApiLimiter | false; workflowsPath?: string } = {}) {
  const ring = testKeyRing();
  return createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    dataConverter: createDataConverter(ring),
    deps: { database, ring, temporal: env.client, taskQueue, limiter: options.limiter ?? false },
    workflowsPath: options.workflowsPath,
  });
}

let bundleFile: Promise<string> | undefined;

/** The workflow bundle as a file, built once per test process: worker child processes load it instead of each bundling. */
export function testWorkflowBundleFile(): Promise<string> {
  bundleFile ??= buildWorkflowBundleFile(path.join(os.tmpdir(), `bridge-test-workflows-${process.pid}.js`));
  return bundleFile;
}
