#!/usr/bin/env node
// The `msint` command. The executable itself is dist/msint.cjs, made by the build; this file is committed so that
// `pnpm install` can link the command before anything is built, and says what to do until it is.
"use strict";
try {
  require("../dist/msint.cjs");
} catch (error) {
  const { existsSync } = require("node:fs");
  const { join } = require("node:path");
  if (error?.code !== "MODULE_NOT_FOUND" || existsSync(join(__dirname, "..", "dist", "msint.cjs")))
    throw error;
  process.stderr.write(
    "msint is not built yet: run `pnpm build` (or `pnpm start`) at the root of the checkout, then try again.\n",
  );
  process.exitCode = 1;
}
