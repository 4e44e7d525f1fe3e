#!/usr/bin/env bash
# The whole test run: machine set-up, services, lint, type check, dist check, then jest (unit and
# end-to-end tests). `npm test` runs it; so does CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/setup-machine.sh
for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  echo "Starting service: $service"
  bash "$service" start
done
npm run lint
npm run typecheck
npm run check-dist
# The tests' temporary files (steps, stand-ins, fixtures, virtualenvs: ~100 MB a run) go under one
# directory, removed at the end: the CI machine keeps its disk between runs. Jest's own cache stays.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-test-run-XXXXXX")
trap 'rm -rf "$run_tmp"' EXIT
TMPDIR=$run_tmp node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --cacheDirectory node_modules/.cache/jest "$@"
