# syntax=docker/dockerfile:1
# PureLB allocator image. Build from the repository root:
#   docker build -f deploy/images/allocator.Dockerfile -t purelb/allocator:0.1.0 .
# The build stage compiles the allocator and the workspace libraries it imports (Nx follows the
# dependency graph); the runtime stage holds only production dependencies and the compiled files.

FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run @purelb/allocator:build --output-style=stream
# Replace the development install with production dependencies only (npm ci empties node_modules
# first), then drop what the runtime does not read.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf tools packages/*/src apps/*/src

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/allocator ./apps/allocator
# Any non-root user works; the Deployment runs it as 65532 with a read-only root file system.
USER 65532:65532
EXPOSE 7472
# --max-semi-space-size=4 (MB): V8 otherwise grows the young generation to 64 MB during a burst of
# Services and keeps it. --optimize-for-size: without it, what the resident set settles at after a
# burst depends on when V8 next collects the old space (116–168 MB measured with 5,000 Services);
# with it, 104–106 MB every time, for a burst that takes 30 % more CPU
# (docs/adr/0014-memory-budget.md). The memory benchmark starts the allocator with these flags.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--optimize-for-size", "apps/allocator/dist/main.js"]
