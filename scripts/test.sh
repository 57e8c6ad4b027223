#!/usr/bin/env bash
# The test command: every check and every test — lint, types, the drift gate, Vitest (units and integration
# against real Postgres and Redis) and the Playwright journey in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  # Playwright drives Debian's Chromium (its own browser download cannot work offline).
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> installing Chromium from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi
if [ "${CI:-}" = "true" ]; then
  # A fresh CI machine may hold databases from an earlier crashed run; tests create their own from templates.
  node scripts/drop-test-databases.mjs
fi
echo "==> lint"
pnpm --silent lint
echo "==> typecheck"
pnpm --silent typecheck
echo "==> vitest"
pnpm --silent vitest run --reporter=default --reporter=json --outputFile=.junction/vitest.json
echo "==> playwright"
pnpm --silent --filter @junction/gateway --filter @junction/dashboard build
pnpm --silent --filter @junction/dashboard test:e2e
node scripts/test-summary.mjs
