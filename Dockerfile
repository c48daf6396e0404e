# syntax=docker/dockerfile:1
# One image for every Atelier app: `atelier-server <start|gateway|orchestrator|serving>` (the CMD picks).
#
#   docker build -t atelier .
#   docker run --read-only --tmpfs /tmp -v atelier-data:/var/lib/atelier -p 8080:8080 atelier gateway
#
# Stages: `toolchain` (Node + the compilers node-gyp needs), `build` (every dependency, dev ones too:
# compiles the server to dist/ folders with `npm run build` and the console with Vite), `prod-deps`
# (production dependencies of the server alone, with the native addons built here: engine-cpu's
# node-gyp build; onnxruntime-node and DuckDB ship prebuilt Node-API binaries), `runtime` (no compiler,
# no npm install, no dev dependency, no TypeScript loader: the compiled JavaScript, run as uid 1000 on a
# root filesystem that may be read-only; the only writable paths are the data volume and /tmp).
#
# The Node version is the one the test suite runs on; override with --build-arg NODE_IMAGE=… (for
# example a node:22 tag, or a tag@sha256 digest your registry mirrors).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# onnxruntime-node's installer must not fetch its CUDA build; the CPU build is in the npm package.
ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# The manifests first (one layer per lockfile change), plus engine-cpu and engine-gpu whole and the
# build helper their install scripts share: engine-cpu's compiles its addon from native/ during
# `npm ci`; engine-gpu's finds no nvcc in this image and records why (its package stays a stub).
COPY package.json package-lock.json ./
COPY scripts/native-addon-build.mjs scripts/
COPY apps/console/package.json apps/console/
COPY apps/gateway/package.json apps/gateway/
COPY apps/launcher/package.json apps/launcher/
COPY apps/serving/package.json apps/serving/
COPY apps/training-orchestrator/package.json apps/training-orchestrator/
COPY packages/artifacts/package.json packages/artifacts/
COPY packages/catalog/package.json packages/catalog/
COPY packages/contracts/package.json packages/contracts/
COPY packages/engine/package.json packages/engine/
COPY packages/feature-store/package.json packages/feature-store/
COPY packages/http-edge/package.json packages/http-edge/
COPY packages/sdk/package.json packages/sdk/
COPY packages/telemetry/package.json packages/telemetry/
COPY packages/engine-cpu/ packages/engine-cpu/
COPY packages/engine-gpu/ packages/engine-gpu/

FROM toolchain AS build
RUN npm ci
COPY . .
RUN npm run build \
 && npm run build:console \
 && test -f apps/launcher/dist/main.js \
 && test -f apps/console/dist/index.html
# What the runtime stage takes from here, gathered in one folder: each server workspace's dist/ (with
# source maps), the compiled migrations, the console's static build and the launcher's bin.
RUN mkdir /out \
 && for ws in packages/contracts packages/telemetry packages/engine packages/engine-cpu packages/engine-gpu packages/artifacts \
              packages/catalog packages/feature-store packages/http-edge apps/gateway apps/serving \
              apps/training-orchestrator apps/launcher; do \
      cp -r --parents "$ws/dist" /out/ || exit 1; \
    done \
 && cp -r --parents migrations/dist apps/console/dist apps/launcher/bin /out/

FROM toolchain AS prod-deps
# Production dependencies of the server's workspaces only (the launcher and what it imports): no
# console (Vite), no SDK, no tsx, no test or lint tooling.
RUN npm ci --omit=dev --workspace @atelier/launcher --include-workspace-root=false \
 && test -f packages/engine-cpu/build/Release/atelier_engine_cpu.node \
 && cd packages/engine-cpu \
 && rm -rf native scripts binding.gyp \
 && find build -mindepth 1 ! -path build/Release ! -path build/Release/atelier_engine_cpu.node -delete \
 && cd ../engine-gpu \
 && rm -rf native scripts

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="atelier" \
      org.opencontainers.image.description="Atelier ML platform: atelier-server <start|gateway|orchestrator|serving>"
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=8080 \
    ATELIER_WORKER_PORT=8082 \
    ATELIER_DATA_DIR=/var/lib/atelier \
    ATELIER_CONSOLE_DIR=/app/apps/console/dist \
    TMPDIR=/tmp
WORKDIR /app
COPY --from=prod-deps /app /app
COPY --from=build /out /app
COPY deploy/docker/healthcheck.mjs /app/deploy/docker/healthcheck.mjs
# Files stay owned by root and read-only to the app; only the data folder belongs to uid 1000.
RUN ln -s /app/apps/launcher/bin/atelier-server.js /usr/local/bin/atelier-server \
 && mkdir -p /var/lib/atelier \
 && chown 1000:1000 /var/lib/atelier
VOLUME ["/var/lib/atelier"]
USER 1000:1000
EXPOSE 8080 8081 8082
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/deploy/docker/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/apps/launcher/bin/atelier-server.js"]
CMD ["start"]
