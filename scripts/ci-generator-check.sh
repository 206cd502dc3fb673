#!/usr/bin/env bash
# CI: runs the integration generator non-interactively in a temporary copy of the repository (tracked files only,
# no node_modules/.turbo/dist), then builds the new package and runs its tests, regenerates the docs and checks
# that the new integration is in docs/supported-flows.md and in `msint integrations --json`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/msint-generator-XXXXXX")"
trap 'rm -rf "$work"' EXIT
copy="$work/repo"
mkdir -p "$copy"
cd "$repo"
# Tracked and new (not ignored) files, as the commit would have them.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  [ -e "$file" ] || continue
  mkdir -p "$copy/$(dirname "$file")"
  cp -p "$file" "$copy/$file"
done
# The seed document lives beside the repository; the copy gets it beside itself too.
if [ -d "$repo/../shared" ]; then ln -s "$repo/../shared" "$work/shared"; fi

cd "$copy"
export TURBO_TELEMETRY_DISABLED=1
pnpm install --offline --frozen-lockfile=false --reporter=silent
node scripts/new-integration.mjs --id ci-generated-users --name "CI Generated Users" --prefix ci-generated-users \
  --flows "yes, yes, no, yes, yes, no" --resource graph --description "Lists the tenant's users (generated in CI)." --install
pnpm turbo run build test typecheck --filter=@msint/ci-generated-users --output-logs=errors-only
# One build of everything the docs and the CLI need (every integration), then the docs and the checks.
pnpm turbo run build --filter=@msint/cli --filter=@msint/repo-tools --output-logs=errors-only
node packages/repo-tools/dist/cli.js docs
grep -q "^| CI Generated Users " docs/supported-flows.md || { echo "docs/supported-flows.md has no CI Generated Users row" >&2; exit 1; }
node packages/repo-tools/dist/cli.js check-flows
node packages/cli/dist/msint.cjs integrations --json > "$work/integrations.json"
node -e '
  const rows = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const row = rows.find((entry) => entry.id === "ci-generated-users");
  const expected = { xsoarApp: "yes", clientCredentials: "yes", deviceCode: "no", authorizationCode: "yes", managedIdentities: "yes", nationalClouds: "no" };
  if (!row || JSON.stringify(row.flows) !== JSON.stringify(expected)) { console.error("msint integrations --json:", JSON.stringify(row)); process.exit(1); }
  console.log(`msint integrations --json lists ${rows.length} integrations, ci-generated-users with its flows`);
' "$work/integrations.json"
echo "generator check passed"
