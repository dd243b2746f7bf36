# The Lookback sidecar (and its CLI: serve, demo, emulator, generate, search), on the current
# Node LTS. Build from the repository root: docker build -t lookback .
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src/shared ./src/shared
COPY src/sidecar ./src/sidecar
RUN npx tsc -p src/sidecar/tsconfig.json && npm prune --omit=dev --no-audit --no-fund

# chDB's native library needs glibc: a Debian base, not Alpine.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    LOOKBACK_LISTEN_HOST=0.0.0.0 \
    LOOKBACK_LISTEN_PORT=8089 \
    LOOKBACK_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist-sidecar ./dist-sidecar
COPY package.json ./
COPY bin ./bin
COPY rules ./rules
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8089
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LOOKBACK_LISTEN_PORT || 8089) + '/api/health').then((r) => process.exit(r.status === 200 || r.status === 503 ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/lookback.js"]
CMD ["serve"]
