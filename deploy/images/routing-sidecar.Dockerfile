# syntax=docker/dockerfile:1
# PureLB routing sidecar image: the sidecar (Node 24) and the BGP daemon it drives (BIRD 2 from
# Debian's packages). Build from the repository root:
#   docker build -f deploy/images/routing-sidecar.Dockerfile -t purelb/routing-sidecar:0.1.0 .
# The build stage compiles the sidecar and the workspace libraries it imports; the runtime stage
# holds only production dependencies, the compiled files and bird2. The package's own service is
# never started (policy-rc.d refuses it during the install): the sidecar starts BIRD itself, with its
# configuration and control socket under --run-dir.

FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run @purelb/routing-sidecar:build --output-style=stream
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf tools packages/*/src apps/*/src

FROM node:24-bookworm-slim
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \
 && apt-get update \
 && apt-get install -y --no-install-recommends bird2 \
 && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/routing-sidecar ./apps/routing-sidecar
# Runs beside the node agent on the host network, as root with NET_BIND_SERVICE only (BGP port 179),
# a read-only root file system and an emptyDir at /run/purelb-routing.
ENTRYPOINT ["node", "apps/routing-sidecar/dist/main.js"]
