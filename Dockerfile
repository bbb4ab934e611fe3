# The sqlagent service (and the one-shot `fixtures` loader in docker-compose.yml).

# Build stage: all dependencies, src/ compiled to dist/ (the CLI starts from JavaScript, not tsx), and the web
# console built into dist/console/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds dist/, which needs the sources copied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY fixtures ./fixtures
# The web console (Vite) is built into dist/console/ by the same script.
COPY console ./console
# The build also makes the empty PGlite cluster new databases are copied from (node_modules/.cache/sqlagent/);
# the folder exists even if it could not, so the runtime stage's COPY always finds it.
RUN node scripts/build.mjs && mkdir -p node_modules/.cache/sqlagent

# Runtime stage: production dependencies, the sources (the command checks dist/ is newer than them, and
# falls back to tsx, a runtime dependency, if not) and the build.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source changes reuse this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY fixtures ./fixtures
COPY docker ./docker
COPY --chown=node:node prompts ./prompts
# Its build stamp was written after the sources it was built from, so the command uses dist/.
COPY --from=build /app/dist ./dist
# The same PGlite (one lock file), so its empty cluster serves here: the embedded databases copy it on
# first start instead of running initdb. Read only; the node user needs no write access to it.
COPY --from=build /app/node_modules/.cache/sqlagent ./node_modules/.cache/sqlagent

# Embedded state (PGlite, later traces). Owned by `node` so a fresh named volume mounted here is writable.
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
# Listening on 0.0.0.0 needs an API key (by SHA-256). CHANGE IT: this demo key is
# sqa_demo_key_change_me_before_exposing_this_service; make your own with `sqlagent keys create` and pass
# its entry with `docker run -e SQLAGENT_API_KEYS='[...]'`.
ENV HOST=0.0.0.0 \
    PORT=8080 \
    SQLAGENT_DATA_DIR=/app/.data \
    SQLAGENT_API_KEYS='[{"id":"demo","sha256":"f74e94b22907a34f4e98580083d2ae88f5e3f0bda1ee24815970a278df1e7b91","scopes":["query","read","feedback"],"datasources":["*"]}]'
EXPOSE 8080

CMD ["node", "bin/sqlagent.mjs", "serve", "--host", "0.0.0.0"]
