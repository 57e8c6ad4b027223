# One image for the three apps (gateway, worker, dashboard); docker-compose picks the command.
FROM node:20-bookworm-slim
ENV TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1
RUN npm install --global pnpm@12.21.0
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm db:generate \
 && pnpm --filter @junction/gateway --filter @junction/dashboard build
EXPOSE 4000 3000 4100
CMD ["pnpm", "--filter", "@junction/gateway", "start"]
