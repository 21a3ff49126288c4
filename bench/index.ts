// `npm run bench -- <scenario> [--flags]`: runs bench/<scenario>.ts and prints its JSON result.
import path from 'node:path';
import fs from 'node:fs';

async function main(): Promise<void> {
  // Logs (ours and the Temporal SDK's) go to stderr: stdout carries the JSON result alone.
  process.env.LOG_DESTINATION ??= 'stderr';
  const [scenario, ...args] = process.argv.slice(2);
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'args.ts' && !f.startsWith('_')).map((f) => f.replace(/\.ts$/, ''));
  if (!scenario || !available.includes(scenario)) {
    console.error(`usage: npm run bench -- <scenario> [--flags]\nscenarios: ${available.join(', ')}`);
    process.exit(2);
  }
  const mod = (await import(path.join(__dirname, `${scenario}.ts`))) as { run: (args: string[]) => Promise<unknown> };
  const result = await mod.run(args);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
