// Replays every recorded history in test/histories/ against today's workflow code. A change that
// would break running workflows (reordered activities, removed timers, …) fails here; fix it with
// `patched()` or record a new history if no running workflow can be affected.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { createDataConverter } from '../../src/client/connection';
import { bundleWorkflows } from '../../src/worker';
import { testKeyRing } from '../helpers/temporal';

const dir = path.join(__dirname, '..', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

function histories(only?: string) {
  return files.filter((f) => !only || f === `${only}.json`).map((f) => ({ workflowId: path.basename(f, '.json'), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
}

async function replay(workflowBundle: WorkflowBundleWithSourceMap, only?: string) {
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter: createDataConverter(testKeyRing()) }, histories(only))) results.push(result);
  return results;
}

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files).toContain('engine-check.json');
  });

  it('replays every history without a nondeterminism error', async () => {
    const results = await replay(await bundleWorkflows());
    expect(results).toHaveLength(files.length);
    for (const r of results) expect({ workflowId: r.workflowId, error: r.error?.message }).toEqual({ workflowId: r.workflowId, error: undefined });
  });

  it('fails when a workflow is changed in a nondeterministic way', async () => {
    const changed = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/changed-workflows'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    const results = await replay(changed, 'engine-check');
    const engineCheck = results.find((r) => r.workflowId === 'engine-check');
    expect(engineCheck?.error).toBeInstanceOf(DeterminismViolationError);
  });
});
