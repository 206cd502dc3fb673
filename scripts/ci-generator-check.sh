#!/usr/bin/env bash
# CI: runs the integration generator non-interactively in a temporary copy of the repository (tracked files only,
# no node_modules/.turbo/dist) and checks what it promises:
# - pnpm-lock.yaml keeps every entry it had (the generator adds the new importer and the CLI's link, nothing else);
# - it writes the changeset .changeset/<id>.md (the new package, minor) and a README with the sections
#   scripts/check-packages.mjs asks for;
# - a msint CLI built before the integration existed lists it (installed beside the CLI) once the new package alone
#   is built, as the generator says; the new package builds, typechecks and passes its tests;
# - the docs regenerate with its row, check:flows passes, and the rebuilt CLI has it built in.
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
pnpm install --offline --frozen-lockfile --reporter=silent
# The msint executable as installed before the integration exists (one bundle from the sources, seconds).
(cd packages/cli && MSINT_EXECUTABLE_ONLY=1 pnpm exec tsup > /dev/null)
cp pnpm-lock.yaml "$work/lock.before"

node scripts/new-integration.mjs --id ci-generated-users --name "CI Generated Users" --prefix ci-generated-users \
  --flows "yes, yes, no, yes, yes, no" --resource graph --description "Lists the tenant's users (generated in CI)." --install

# The lockfile: nothing removed; the one new importer, and the CLI's link to it.
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { lockfileKeys, removedKeys } from "./scripts/lib/lockfile.mjs";
  const before = readFileSync(process.argv[1], "utf8");
  const after = readFileSync("pnpm-lock.yaml", "utf8");
  const removed = removedKeys(before, after);
  if (removed.length) {
    console.error(`generating an integration removed ${removed.length} pnpm-lock.yaml entries:\n  ${removed.slice(0, 20).join("\n  ")}`);
    process.exit(1);
  }
  const old = lockfileKeys(before);
  const added = [...lockfileKeys(after)].filter((key) => !old.has(key));
  if (JSON.stringify(added) !== JSON.stringify(["importers:integrations/ci-generated-users"])) {
    console.error("pnpm-lock.yaml: expected only the importer integrations/ci-generated-users to be added, got", added);
    process.exit(1);
  }
  if (!/\x27@msint\/ci-generated-users\x27:\n {8}specifier: workspace:\^\n {8}version: link:..\/..\/integrations\/ci-generated-users\n/.test(after)) {
    console.error("pnpm-lock.yaml: packages/cli has no link to integrations/ci-generated-users");
    process.exit(1);
  }
  console.log(`pnpm-lock.yaml keeps its ${old.size} entries and adds the importer integrations/ci-generated-users`);
' "$work/lock.before"

# The changeset: the new package, minor.
grep -q '^"@msint/ci-generated-users": minor$' .changeset/ci-generated-users.md \
  || { echo ".changeset/ci-generated-users.md does not announce @msint/ci-generated-users as minor" >&2; exit 1; }
# The README: the sections check:packages asks for.
node --input-type=module -e '
  import { readmeProblems } from "./scripts/lib/readme-check.mjs";
  const problems = readmeProblems("integrations/ci-generated-users");
  if (problems.length) { console.error("integrations/ci-generated-users/README.md:", problems.join("; ")); process.exit(1); }
'

# What the generator says to build: the new package alone; the CLI built before lists it.
pnpm turbo run build test typecheck --filter=@msint/ci-generated-users --output-logs=errors-only
check_listed() {
  node packages/cli/bin/msint.cjs integrations --json > "$work/integrations.json"
  node -e '
    const rows = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const row = rows.find((entry) => entry.id === "ci-generated-users");
    const expected = { xsoarApp: "yes", clientCredentials: "yes", deviceCode: "no", authorizationCode: "yes", managedIdentities: "yes", nationalClouds: "no" };
    if (!row || JSON.stringify(row.flows) !== JSON.stringify(expected)) { console.error("msint integrations --json:", JSON.stringify(row)); process.exit(1); }
    console.log(`msint integrations --json (${process.argv[2]}) lists ${rows.length} integrations, ci-generated-users with its flows`);
  ' "$work/integrations.json" "$1"
}
check_listed "CLI built before the integration"

# One build of everything the docs and the CLI need (every integration), then the docs and the checks.
pnpm turbo run build --filter=@msint/cli --filter=@msint/repo-tools --output-logs=errors-only
grep -q '"ci-generated-users": () => import("@msint/ci-generated-users")' packages/cli/src/integrations.generated.ts \
  || { echo "packages/cli/src/integrations.generated.ts does not load ci-generated-users" >&2; exit 1; }
MSINT_DISCOVERY=off check_listed "rebuilt CLI, built in"
node packages/repo-tools/dist/cli.js docs
grep -q "^| CI Generated Users " docs/supported-flows.md || { echo "docs/supported-flows.md has no CI Generated Users row" >&2; exit 1; }
node packages/repo-tools/dist/cli.js check-flows
echo "generator check passed"
