// Opens a Temporal client for operator commands. Against production: TEMPORAL_ADDRESS. Locally:
// the engine `npm start` is running, found through the address file it writes into the data dir.
import fs from 'node:fs';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { ConfigError, type Config } from '../config';
import { loadKeyRing, type KeyRing } from '../crypto/keys';
import { connectTemporal, createClient } from './connection';
import { processAlive } from './engine-watch';

export interface EngineFile {
  temporalAddress: string;
  uiUrl?: string;
  pid: number;
}

export const engineFile = (dataDir: string) => path.join(dataDir, 'engine.json');

export function writeEngineFile(dataDir: string, info: EngineFile): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(engineFile(dataDir), JSON.stringify(info, null, 2));
}

export function removeEngineFile(dataDir: string, pid = process.pid): void {
  try {
    const info = JSON.parse(fs.readFileSync(engineFile(dataDir), 'utf8')) as EngineFile;
    if (info.pid === pid) fs.rmSync(engineFile(dataDir));
  } catch {
    /* nothing to remove */
  }
}

function runningEngine(dataDir: string): EngineFile | undefined {
  let info: EngineFile;
  try {
    info = JSON.parse(fs.readFileSync(engineFile(dataDir), 'utf8')) as EngineFile;
  } catch {
    return undefined;
  }
  return processAlive(info.pid) ? info : undefined;
}

export interface OperatorSession {
  client: Client;
  connection: Connection;
  ring: KeyRing;
  taskQueue: string;
  uiUrl?: string;
  /** The Temporal frontend this session talks to. */
  address: string;
  /** The embedded engine's process, when the session found it through engine.json. */
  enginePid?: number;
  close(): Promise<void>;
}

export async function openOperatorSession(config: Config): Promise<OperatorSession> {
  let address = config.temporalAddress;
  let uiUrl: string | undefined;
  let enginePid: number | undefined;
  if (!address) {
    const engine = runningEngine(config.dataDir);
    if (!engine) throw new ConfigError('TEMPORAL_ADDRESS', `no engine is running from ${config.dataDir}: start it with \`npm start\` in another terminal, or set TEMPORAL_ADDRESS`);
    address = engine.temporalAddress;
    uiUrl = engine.uiUrl;
    enginePid = engine.pid;
  }
  const ring = loadKeyRing(config.encryptionKey, config.dataDir);
  const connection = await connectTemporal(address);
  return { client: createClient(connection, config.temporalNamespace, ring), connection, ring, taskQueue: config.taskQueue, uiUrl, address, enginePid, close: () => connection.close() };
}
