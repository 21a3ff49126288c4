// How operators and services reach Temporal: one connection, one data converter with the
// encrypting codec, shared by the CLI, the worker and the tests.
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { ConfigError } from '../config';
import type { KeyRing } from '../crypto/keys';
import { AesGcmPayloadCodec } from './codec';

export function createDataConverter(ring: KeyRing): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(ring)] };
}

export async function connectTemporal(address: string, options: Omit<ConnectionOptions, 'address'> = {}): Promise<Connection> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 5_000, ...options });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (err) {
    throw new ConfigError('TEMPORAL_ADDRESS', `cannot reach a Temporal server at ${address} (${(err as Error).message.split('\n')[0]})`);
  }
}

export function createClient(connection: Connection, namespace: string, ring: KeyRing): Client {
  return new Client({ connection, namespace, dataConverter: createDataConverter(ring) });
}
