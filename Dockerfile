# The worker image (production): compiled TypeScript, runs `autotask-bridge worker` against
# TEMPORAL_ADDRESS and DATABASE_URL. Scale out by running more replicas.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npx tsx scripts/build-workflow-bundle.ts dist/workflow-bundle.js

FROM node:20-bookworm-slim
ENV NODE_ENV=production LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY --from=build /app/db/migrations ./dist/db/migrations
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY spec ./spec
USER node
CMD ["node", "dist/src/cli.js", "worker"]
