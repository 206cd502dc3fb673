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
  staleDocs,
  writeDocs,
} from "./workspace.js";
import { compareWithBaseline, describeDrift } from "./xsoar.js";
import {
  loadXsoarTables,
  parityReports,
  readBaseline,
  renderParityDocs,
  writeBaseline,
  XSOAR_BASELINE_PATH,
  XSOAR_DOCS_PATH,
} from "./xsoar-workspace.js";

/** `check-xsoar [--update-baseline] [--docs]`: commands and app names against data/xsoar, with its baseline. */
async function checkXsoar(root: string, options: readonly string[]): Promise<number> {
  const reports = parityReports(await loadIntegrations(root), loadXsoarTables(root));
  for (const report of reports) {
    const coverage = report.coverage
      ? `${report.coverage.percent} % of XSOAR's ${report.coverage.total} commands, ${report.msintOnly.length} msint-only, ${report.differences.length} difference(s)`
      : `not compared (${report.table.reason ?? "no XSOAR table"})`;
    console.log(`${report.id}: ${coverage}`);
  }
  const docs = await formatDocs(root, new Map([[XSOAR_DOCS_PATH, renderParityDocs(reports)]]));
  if (options.includes("--docs")) {
    const changed = writeDocs(root, docs);
    console.log(changed.length ? `wrote ${changed.join(", ")}` : `${XSOAR_DOCS_PATH} is up to date.`);
  }
  if (options.includes("--update-baseline")) {
    writeBaseline(root, reports);
    console.log(`wrote ${XSOAR_BASELINE_PATH}`);
  }
  const drift = compareWithBaseline(reports, readBaseline(root));
  const lines = describeDrift(drift, XSOAR_BASELINE_PATH);
  for (const line of lines) console.error(line);
  const stale = staleDocs(root, docs).filter((path) => path === XSOAR_DOCS_PATH);
  for (const path of stale)
    console.error(
      `✗ ${path} is stale: run node packages/repo-tools/dist/cli.js check-xsoar --docs and commit it.`,
    );
  if (lines.length || stale.length) {
    console.error(
      `check:xsoar failed: ${drift.added.length} new difference(s), ${drift.removed.length} baseline entr(ies) no longer occurring, ${stale.length} stale file(s).`,
    );
    return 1;
  }
  console.log(`check:xsoar: ${reports.length} integrations match the baseline ${XSOAR_BASELINE_PATH}.`);
  return 0;
}

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
  if (command === "check-xsoar") return checkXsoar(root, process.argv.slice(3));
  console.error("Usage: msint-repo-tools docs | check-flows | check-xsoar [--update-baseline] [--docs]");
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
