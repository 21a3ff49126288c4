// The simulators' shared fault injection (src/sim/kit/server.ts): off by default, a seeded run
// draws the same faults, 429s carry Retry-After, and an "after" fault lets the write happen.
import { NO_FAULTS, SimServer, type FaultSettings } from '../../src/sim/kit/server';
import { chaosFaults } from '../../src/sim/chaos';
import { classify } from '../../src/autotask/errors';

describe('SimServer fault injection', () => {
  let sim: SimServer;
  let writes = 0;

  beforeAll(async () => {
    sim = new SimServer({ name: 'test', errorBody: (_status, message) => ({ errors: [message] }) });
    sim.route('POST', '/things', () => {
      writes++;
      return { status: 200, body: { itemId: writes } };
    });
    await sim.start();
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    writes = 0;
    sim.faults = structuredClone(NO_FAULTS);
    sim.injected.clear();
  });

  /** What each of `n` requests got: a status, `reset` or `timeout`. */
  async function outcomes(n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      try {
        const res = await fetch(`${sim.url}/things`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(1_500) });
        out.push(res.status === 429 ? `429 retry-after ${res.headers.get('retry-after')}` : String(res.status));
        await res.text();
      } catch (err) {
        out.push((err as Error).name === 'TimeoutError' ? 'timeout' : 'reset');
      }
    }
    return out;
  }

  it('injects nothing by default', async () => {
    await outcomes(50);
    expect(writes).toBe(50);
    expect(Object.fromEntries(sim.injected)).toEqual({});
  });

  it('draws the same faults from the same seed, of every kind in the chaos mix', async () => {
    const mix: Partial<FaultSettings> = { ...chaosFaults(1), errorRate: 0.2, rateLimitRate: 0.1, resetRate: 0.1, timeoutRate: 0.05 };
    sim.setFaults(mix);
    const seen = new Set(await outcomes(100));
    const injected = Object.fromEntries(sim.injected);
    expect(seen).toEqual(new Set(['200', '500', '503', '429 retry-after 1', 'reset', 'timeout']));
    for (const kind of ['500', '503', '429', 'reset', 'reset-after', 'timeout', 'timeout-after']) expect(injected[kind]).toBeGreaterThan(0);
    // Faults "after" let the handler run (the write happened); the others kept it from running.
    const before = Object.entries(injected).filter(([k]) => !k.endsWith('-after')).reduce((n, [, v]) => n + v, 0);
    expect(writes).toBe(100 - before);

    const firstWrites = writes;
    writes = 0;
    sim.injected.clear();
    sim.setFaults(mix);
    await outcomes(100);
    expect(Object.fromEntries(sim.injected)).toEqual(injected);
    expect(writes).toBe(firstWrites);
  });

  it("answers an injected 500 as a server fault, which the Autotask client classifies as transient", async () => {
    sim.setFaults({ errorRate: 1, errorStatuses: [500], seed: 1 });
    const res = await fetch(`${sim.url}/things`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const body = (await res.json()) as { errors: string[] };
    expect(res.status).toBe(500);
    expect(body.errors[0]).toMatch(/^An unexpected error has occurred\. Error ID: \d+\.$/);
    expect(classify(500, body)).toBe('server_error');
    expect(writes).toBe(0);
  });

  it('a scripted status "after" the handler: the write happened, the answer is the error', async () => {
    sim.faults.script.push({ match: 'POST /things', action: { status: 503 }, when: 'after' });
    expect(await outcomes(2)).toEqual(['503', '200']);
    expect(writes).toBe(2);
  });
});
