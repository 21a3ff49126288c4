// Collects connector secrets for `autotask-bridge connect`: from JSON on stdin, the environment or a
// hidden prompt — never from argv, where they would land in shell history and `ps`. Values are
// trimmed, and stray whitespace is reported (a copy-paste error the seeds warn about).
import readline from 'node:readline';

export interface SecretSpec {
  key: string;
  env: string;
  label: string;
}

/** The Autotask API user's secrets; each integration kind declares its own (src/integrations). */
export const AUTOTASK_SECRETS: SecretSpec[] = [
  { key: 'username', env: 'AUTOTASK_USERNAME', label: 'Autotask API user name (UserName)' },
  { key: 'secret', env: 'AUTOTASK_SECRET', label: 'Autotask API secret (Secret)' },
  { key: 'integrationCode', env: 'AUTOTASK_INTEGRATION_CODE', label: 'Tracking identifier (ApiIntegrationCode)' },
];

export interface CollectedSecrets {
  values: Record<string, string>;
  warnings: string[];
}

export async function collectSecrets(
  specs: SecretSpec[],
  sources: { stdinJson?: string; env?: NodeJS.ProcessEnv; prompt?: (label: string) => Promise<string> },
): Promise<CollectedSecrets> {
  let fromStdin: Record<string, unknown> = {};
  if (sources.stdinJson?.trim()) {
    try {
      fromStdin = JSON.parse(sources.stdinJson);
    } catch {
      throw new Error('--secrets-stdin expects a JSON object, e.g. {"username":"…","secret":"…","integrationCode":"…"}');
    }
  }
  const values: Record<string, string> = {};
  const warnings: string[] = [];
  for (const spec of specs) {
    let raw = typeof fromStdin[spec.key] === 'string' ? (fromStdin[spec.key] as string) : sources.env?.[spec.env];
    if (raw === undefined && sources.prompt) raw = await sources.prompt(spec.label);
    if (raw === undefined || raw.trim() === '') throw new Error(`${spec.label} is missing: pass it as "${spec.key}" in --secrets-stdin JSON or in ${spec.env}`);
    const trimmed = raw.trim();
    if (trimmed !== raw) warnings.push(`${spec.label} had leading or trailing whitespace; it was removed (check the copy-paste)`);
    if (/\s/.test(trimmed)) warnings.push(`${spec.label} contains whitespace inside it; API credentials normally do not`);
    values[spec.key] = trimmed;
  }
  return { values, warnings };
}

/** Reads one line from the terminal without echoing it. */
export function hiddenPrompt(label: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    output._writeToOutput = (s: string) => {
      if (s.startsWith(label)) output.output.write(s);
    };
    rl.question(`${label}: `, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
