# Shared by up.sh and test.sh: pnpm, dependencies and the generated Prisma client, on a machine that has only
# Node 20 + npm. Sourced, not executed.
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "12.21.0" ]; then
  echo "==> installing pnpm 12.21.0"
  npm install --global pnpm@12.21.0 >/dev/null
fi
echo "==> installing dependencies"
pnpm install --frozen-lockfile --reporter=append-only | grep -v "^Progress" || true
echo "==> generating the Prisma client"
pnpm --silent db:generate
