// The sandbox in a process of its own, so benchmarks measure the worker's memory alone.
// Prints one JSON line with what the bench needs, then runs until stdin closes.
import { startSandbox } from '../src/sim';

async function main(): Promise<void> {
  const skus = Number(process.argv[2] ?? 20000);
  const sandbox = await startSandbox({
    autotask: { hourlyLimit: 1_000_000_000, checkContract: false },
    ingram: { catalog: { skus }, rateLimit: false, checkContract: false },
  });
  process.stdout.write(`${JSON.stringify({ connectRequest: sandbox.connectRequest('bench'), autotask: sandbox.autotask.url, ingram: sandbox.ingram.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sandbox.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
