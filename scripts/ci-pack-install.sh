#!/usr/bin/env bash
# CI: the published CLI works on its own. Packs @msint/cli as `pnpm publish` would, installs the tarball with
# `npm i -g` into a temporary prefix (third-party dependencies come from the registry; every @msint package is
# inside the bundle), checks that nothing only the broker needs came with it, then runs `msint --version` and a
# command against `msint emulator` started from that install on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

pnpm turbo run build --filter=@msint/cli... --output-logs=errors-only
(cd packages/cli && pnpm pack --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/msint-cli-*.tgz)"
echo "packed $(basename "$tarball")"

npm install -g --prefix "$work/prefix" --no-audit --no-fund "$tarball"
msint="$work/prefix/bin/msint"
installed="$work/prefix/lib/node_modules/@msint/cli"

if [ -e "$installed/node_modules/@electric-sql/pglite" ] || [ -e "$installed/node_modules/@msint" ]; then
  echo "the CLI's install pulled in PGlite or @msint packages it bundles" >&2
  exit 1
fi

expected="$(node -p 'require("./packages/cli/package.json").version')"
version="$("$msint" --version)"
if [ "$version" != "$expected" ]; then
  echo "msint --version printed '$version', expected '$expected'" >&2
  exit 1
fi
echo "msint --version: $version"

export MSINT_HOME="$work/home"
export MSINT_CODE_CACHE="$work/cache"
"$msint" emulator --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/emulator.out" | head -n 1 || true)"
  [ -n "$url" ] && break
  sleep 0.2
done
if [ -z "$url" ]; then
  echo "msint emulator did not start:" >&2
  cat "$work/emulator.out" "$work/emulator.err" >&2
  exit 1
fi
echo "emulator on $url"

# The emulator's demo tenant, app and secret (packages/entra-emulator/src/seed.ts).
demo="$(node -e '
  const e = require(process.argv[1] + "/dist/emulator.cjs");
  console.log([e.DEMO_TENANT_ID, e.DEMO_CLIENT_ID, e.DEMO_CLIENT_SECRET].join(" "));
' "$installed")"
read -r tenant client secret <<<"$demo"
export PACK_DEMO_SECRET="$secret"

"$msint" instance add packed --integration msgraph-user \
  --param self_deployed=true --param "auth_type=Client Credentials" \
  --param "tenant_id=$tenant" --param "auth_id=$client" --param enc_key=env:PACK_DEMO_SECRET \
  --param azure_cloud=Custom --param "azure_ad_endpoint=$url" --param "server_url=$url"
users="$("$msint" run msgraph-user-list limit=3 --instance packed --json)"
# As XSOAR's, the list's context holds a {NextPage} entry before the users: count the users.
count="$(node -e 'console.log(JSON.parse(process.argv[1]).outputs.MSGraphUser.filter((entry) => entry.ID).length)' "$users")"
if [ "$count" != "3" ]; then
  echo "msgraph-user-list returned $count users, expected 3: $users" >&2
  exit 1
fi
echo "msgraph-user-list through the installed msint: $count users"
echo "ci-pack-install: ok"
