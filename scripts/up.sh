#!/usr/bin/env bash
# The start command: install, create + migrate + seed the database, build, run gateway + dashboard + worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
echo "==> migrating the database (created when missing)"
node scripts/db-migrate.mjs
echo "==> seeding the model catalog"
pnpm --silent db:seed --if-empty
echo "==> building"
pnpm --silent build
exec node scripts/start-all.mjs
