// Custom search attributes operators filter on in the Web UI. Registered by the embedded dev
// server at start and by `ensureSearchAttributes` on a production cluster.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const BridgeConnector = defineSearchAttributeKey('BridgeConnector', SearchAttributeType.KEYWORD);
export const BridgeTemplate = defineSearchAttributeKey('BridgeTemplate', SearchAttributeType.KEYWORD);
export const BridgeStatus = defineSearchAttributeKey('BridgeStatus', SearchAttributeType.KEYWORD);
export const BridgePoNumber = defineSearchAttributeKey('BridgePoNumber', SearchAttributeType.KEYWORD);
export const BridgeDistributorOrderId = defineSearchAttributeKey('BridgeDistributorOrderId', SearchAttributeType.KEYWORD);
export const BridgeProcessed = defineSearchAttributeKey('BridgeProcessed', SearchAttributeType.INT);
export const BridgeCreated = defineSearchAttributeKey('BridgeCreated', SearchAttributeType.INT);
// The dev server's SQLite visibility store allows 3 custom attributes per type, so two counters
// are Double (still numeric: `BridgeUpdated > 0` works in the UI).
export const BridgeUpdated = defineSearchAttributeKey('BridgeUpdated', SearchAttributeType.DOUBLE);
export const BridgeUnchanged = defineSearchAttributeKey('BridgeUnchanged', SearchAttributeType.DOUBLE);
export const BridgeQuarantined = defineSearchAttributeKey('BridgeQuarantined', SearchAttributeType.INT);

export const ALL_SEARCH_ATTRIBUTES = [
  BridgeConnector, BridgeTemplate, BridgeStatus, BridgePoNumber, BridgeDistributorOrderId,
  BridgeProcessed, BridgeCreated, BridgeUpdated, BridgeUnchanged, BridgeQuarantined,
];
