# flagfleet: the flag service (default command) and the AppConfig emulator (same image, other command).
# Build:  docker build -t flagfleet .
# Run:    docker run -p 8080:8080 flagfleet            (embedded default: serves /app/flags)
# Emulator: docker run --no-healthcheck -p 2773:2773 -e EMULATOR_HOST=0.0.0.0 flagfleet node dist/apps/appconfig-emulator/src/main.js
#           (the HEALTHCHECK below probes the service's /health/live: a container running the emulator must not inherit it)

# --- build: install everything, compile with SWC, then drop dev dependencies ---
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json .swcrc ./
COPY apps apps
COPY libs libs
RUN npx nest build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code and production dependencies only, as the unprivileged `node` user ---
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    FLAGS_DIR=/app/flags
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
COPY --chown=root:root flags flags
# Code and flags are root-owned and read-only to the service; BACKUP_DIR, if used, must be a volume.
USER node
EXPOSE 8080 8013 8015
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/flag-service/src/main.js"]
