# One image recipe for all six apps; the APP build argument picks which:
#   docker build --build-arg APP=pet-service -t petstore/pet-service .
# docker-compose.yml builds each app this way.

FROM node:20-bookworm-slim AS base
WORKDIR /app

# Compiles one app into dist/apps/$APP/main.js (a webpack bundle that still loads its
# dependencies from node_modules at run time).
FROM base AS build
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
ARG APP
RUN test -n "$APP" || { echo "set the app to build: --build-arg APP=<one of apps/*>" >&2; exit 1; }
RUN npx nx build "$APP" --output-style=static

# The workspace's production dependencies from the root lock file. It does not depend on APP,
# so the six images share this layer.
FROM base AS runtime-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM base AS runtime
ARG APP
# The apps' node flags and environment, as tools/stack/app-node-flags.js (docs/decisions.md): the
# heap budget in NODE_OPTIONS, the WebAssembly and Maglev flags, which NODE_OPTIONS refuses, on the
# command line, and glibc's malloc threshold.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=4" \
    MALLOC_MMAP_THRESHOLD_=131072
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
WORKDIR /app/dist/apps/${APP}
USER node
CMD ["node", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering", "--no-maglev", "main.js"]
