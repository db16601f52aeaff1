# syntax=docker/dockerfile:1
# Multi-stage build: compile in a full image, run the compiled JavaScript with plain node as a
# non-root user. The database lives on the /data volume. Not built in CI (no Docker daemon there).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to compiling when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# Scripts off: `prepare` (the build) needs the sources, copied next; better-sqlite3 is built below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The build's warm-up run (the offline console over a throwaway database) reads the seed files.
COPY data/*.csv data/program.json ./data/
RUN npm rebuild better-sqlite3 && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# tzdata: the IANA zones for BOT_TIMEZONE (node carries its own ICU data; tzdata keeps the OS in step).
RUN apt-get update && apt-get install -y --no-install-recommends tzdata tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_PATH=/data/bot.db \
    BOT_TIMEZONE=Asia/Shanghai \
    PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data/*.csv data/program.json ./data/
RUN useradd --system --uid 10001 --home-dir /app kczm && mkdir -p /data && chown kczm /data
USER kczm
VOLUME ["/data"]
EXPOSE 8080
# GET /healthz answers 503 when the database or Telegram stops answering (README: Operations).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini forwards SIGTERM to node once and reaps; node runs the graceful shutdown.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-semi-space-size=1", "dist/main.cjs"]
