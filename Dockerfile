# syntax=docker/dockerfile:1
# The app runs its TypeScript through tsx, a production dependency, so there is no build step:
# one stage installs the production tree, the runtime stage copies it next to the sources.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src ./src
COPY workers ./workers
COPY migrations ./migrations
COPY views ./views
COPY public ./public
# The sources stay root-owned and read-only to the app; only var/ (the file outbox when
# SMTP_URL is unset) is the app's to write.
RUN mkdir -p var && chown node:node var
USER node
EXPOSE 3000
# Slim has no curl; Node 20 has fetch. /healthz says the process is up, whatever Postgres does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/server.ts", "--with-workers"]
