#!/usr/bin/env node
// `pnpm docs` and `pnpm check:flows`: the supported-flows table and the integration references, generated from the
// manifests and checked against the seed document.
import {
  checkFlows,
  findRoot,
  formatDocs,
  loadIntegrations,
  readSeed,
  renderDocs,
  writeDocs,
} from "./workspace.js";

async function main(command: string | undefined): Promise<number> {
  const root = findRoot();
  if (command === "docs") {
    const integrations = await loadIntegrations(root);
    const seed = readSeed(root);
    if (seed.note) console.log(`note: ${seed.note} Rows keep the order of docs/supported-flows.md.`);
    const changed = writeDocs(root, await formatDocs(root, renderDocs(root, integrations, seed.rows)));
    console.log(
      `docs: ${integrations.length} integrations; ${changed.length ? `wrote ${changed.join(", ")}` : "everything up to date"}.`,
    );
    return 0;
  }
  if (command === "check-flows") {
    const integrations = await loadIntegrations(root);
    const seed = readSeed(root);
    const result = await checkFlows(root, integrations, seed.rows, seed.note);
    for (const note of result.notes) console.log(`note: ${note}`);
    for (const difference of result.differences) console.error(`✗ ${difference.message}`);
    for (const path of result.stale)
      console.error(`✗ ${path} is stale: run pnpm docs and commit the result.`);
    if (result.differences.length || result.stale.length) {
      console.error(
        `check:flows failed: ${result.differences.length} difference(s) with the seed table, ${result.stale.length} stale file(s).`,
      );
      return 1;
    }
    console.log(
      `check:flows: ${integrations.length} integrations agree with ${seed.rows ? `the seed table's ${seed.rows.length} rows` : "their manifests"}; docs/ is up to date.`,
    );
    return 0;
  }
  console.error("Usage: msint-repo-tools docs | check-flows");
  return 2;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
