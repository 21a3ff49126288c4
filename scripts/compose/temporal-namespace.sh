#!/bin/sh
# One-shot for docker-compose.yml (temporalio/admin-tools): registers the engine's namespace once
# the server answers. temporalio/server, unlike the deprecated auto-setup image, creates none.
# The engine registers its search attributes itself at start.
set -eu
ns=${TEMPORAL_NAMESPACE:-default}
for _ in $(seq 1 30); do
  temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break
  sleep 2
done
temporal operator namespace describe -n "$ns" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention "${TEMPORAL_RETENTION:-7d}" --address "$TEMPORAL_ADDRESS"
echo "namespace $ns is registered"
