# syntax=docker/dockerfile:1
# PureLB node agent image. Build from the repository root:
#   docker build -f deploy/images/lbnodeagent.Dockerfile -t purelb/lbnodeagent:0.1.0 .
# The build stage compiles the agent and the workspace libraries it imports (Nx follows the
# dependency graph); the runtime stage holds only production dependencies, the compiled files, and
# the announcement helpers: arping (iputils-arping) for gratuitous ARP, perl (perl-base, part of
# every Debian system, named anyway so that the image says what it needs) for unsolicited IPv6
# Neighbor Advertisements.

FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run @purelb/lbnodeagent:build --output-style=stream
# Replace the development install with production dependencies only (npm ci empties node_modules
# first; install scripts stay on: the netlink package checks its prebuilt binary), then drop what
# the runtime does not read.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf tools packages/*/src apps/*/src

FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends iputils-arping perl-base \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/lbnodeagent ./apps/lbnodeagent
# The DaemonSet runs it as root with only NET_ADMIN and NET_RAW and a read-only root file system.
EXPOSE 7473
# --max-semi-space-size=4 (MB) and --optimize-for-size: V8 otherwise grows the young generation to
# 64 MB and the old space to several times what is live when Services arrive in bulk, and keeps
# both; with these flags the agent's resident set follows what it holds at the same CPU
# (docs/adr/0014-memory-budget.md). The memory benchmark starts the agents with these flags.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--optimize-for-size", "apps/lbnodeagent/dist/main.js"]
