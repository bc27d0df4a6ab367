# The production image: TypeScript compiled in a build stage; the runtime stage holds only the
# compiled output and the production dependencies, runs as a non-root user, with node as PID 1.
#   docker build -t tropo-app-server .
#   docker run --rm --env-file .env -p 3000:3000 tropo-app-server
# test/e2e/production.test.ts rebuilds this runtime layout without Docker and starts its CMD.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: compiling needs none (only tsx's esbuild has one, and the build does not use tsx).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY routes ./routes
COPY apps ./apps
RUN npm run build

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The files stay root's and read-only to the server: it writes nothing but its log to stdout.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["node", "dist/src/runtime/healthcheck.js"]
# node itself is PID 1 (no npm, no shell), so docker stop's SIGTERM reaches the server's drain.
CMD ["node", "dist/src/runtime/main.js"]
