# The sqlagent service (and the one-shot `fixtures` loader in docker-compose.yml). No build step: the
# CLI runs the TypeScript sources through tsx, which is a runtime dependency.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so source changes reuse this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY fixtures ./fixtures
COPY docker ./docker
COPY --chown=node:node prompts ./prompts

# Embedded state (PGlite, later traces). Owned by `node` so a fresh named volume mounted here is writable.
RUN mkdir -p /app/.data && chown node:node /app/.data

USER node
ENV HOST=0.0.0.0 \
    PORT=8080 \
    SQLAGENT_DATA_DIR=/app/.data
EXPOSE 8080

CMD ["node", "bin/sqlagent.mjs", "serve", "--host", "0.0.0.0"]
