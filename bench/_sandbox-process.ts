// The sandbox in a process of its own, so benchmarks measure the worker's memory alone.
// `_sandbox-process.ts <skus> [distributor kind] [check|no-check]`: prints one JSON line with what the bench needs (the
// connect request with that distributor, the Autotask and distributor simulator URLs), then runs until
// stdin closes. Contract checks are on unless `no-check` (the bench reads violations over the admin API).
import { startSandbox } from '../src/sim';

async function main(): Promise<void> {
  const skus = Number(process.argv[2] ?? 20000);
  const kind = process.argv[3] ?? 'ingram';
  const checkContract = process.argv[4] !== 'no-check';
  const sandbox = await startSandbox({
    autotask: { hourlyLimit: 1_000_000_000, checkContract },
    ingram: { catalog: { skus }, rateLimit: false, checkContract },
    tdSynnex: { catalog: { skus }, checkContract },
    pax8: false,
    cloudblue: false,
    integrations: [kind],
  });
  const distributor = sandbox.simulators.get(kind)!;
  process.stdout.write(`${JSON.stringify({ connectRequest: sandbox.connectRequest('bench'), autotask: sandbox.autotask.url, distributor: distributor.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sandbox.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
