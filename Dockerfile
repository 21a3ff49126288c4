# The worker image (production): compiled JavaScript and the prebuilt workflow bundle from
# `npm run build`, run as `autotask-bridge worker` against TEMPORAL_ADDRESS and DATABASE_URL.
# Scale out by running more replicas. Node 24 is the newest LTS line the Temporal TypeScript SDK
# is tested on (its CI: 20 and 24); the code itself still runs on Node >= 20.19.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
# Memory (issue 16, `npm run bench -- catalog --compiled` uses the same two): a worker's live heap is
# ~50 MB, but uncapped V8 lets garbage pile up to ~250 MB between major GCs; 2 malloc arenas instead
# of 8 per core stop the Temporal Core threads' allocations fragmenting into ~30 MB more RSS.
ENV NODE_ENV=production LOG_FORMAT=json NODE_OPTIONS=--max-old-space-size=256 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/ holds the compiled code, dist/workflow-bundle.js, db/migrations and the vendor specs.
COPY --from=build /app/dist ./dist
COPY bin ./bin
RUN ln -s /app/bin/autotask-bridge.cjs /usr/local/bin/autotask-bridge
USER node
# Prometheus: our metrics on METRICS_PORT, the Temporal SDK's on METRICS_PORT + 1 (both off unless set).
EXPOSE 9464 9465
CMD ["autotask-bridge", "worker"]
