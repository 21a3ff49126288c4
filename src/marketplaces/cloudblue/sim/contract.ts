// SimpleAPI's document declares a single `default` response per operation, described as "The operation is completed
// successfully" with the success schema, and no error body at all. The shared checker would hold error answers
// (401, 404, 429 …) to the success schema; here only 2xx answers are checked against it. Requests are checked in full.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ApiContract } from '../../../spec/contract';

export const SPEC_FILE = 'cloudblue-commerce-simpleapi-1.15-openapi.yaml';

class SimpleApiContract extends ApiContract {
  override validateResponse(req: { method: string; path: string }, status: number, body: unknown): string[] {
    return status >= 200 && status < 300 ? super.validateResponse(req, status, body) : [];
  }
}

let loaded: ApiContract | undefined;

export function simpleApiContract(): ApiContract {
  loaded ??= new SimpleApiContract(YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'spec', SPEC_FILE), 'utf8')));
  return loaded;
}
