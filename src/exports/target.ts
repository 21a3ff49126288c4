// What the export pipeline needs from a target (an integration of role `export`): deliver one
// document, at least once. A target kind's client implements it; the pipeline never names a kind.
import type { ExportDocument } from './documents';
import type { ExportSettings } from './settings';

export interface ExportTarget {
  /** The export part of the target's settings (sync types, receiver URL, contract fields). */
  readonly settings: ExportSettings;
  /** Sends the document; resolves once the target accepted it, throws a BridgeError otherwise (after the client's own retries). */
  deliver(document: ExportDocument): Promise<void>;
}
