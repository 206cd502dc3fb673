#!/usr/bin/env node
/**
 * `pnpm bench`: msint side by side with @azure/identity and msal-node on one loopback emulator. Prints a markdown
 * table and writes bench/results.json at the repository root.
 *
 *   node packages/bench/dist/run.js [--quick] [--only 1,2,...] [--breakdown] [--out FILE]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { runBench } from "./bench.js";
import { repoRoot } from "./paths.js";
import { killChildrenOnSignals } from "./processes.js";
import { breakdownTable, describeMachine, markdownTable } from "./report.js";
import { FULL_CONFIG, QUICK_CONFIG } from "./scenarios.js";

const USAGE = `usage: pnpm bench [-- options]   (or node packages/bench/dist/run.js [options])
  --quick        a few iterations of everything (checks the harness; numbers are not meaningful)
  --only 1,4     run only these scenarios (1-7; 7 starts a PostgreSQL server)
  --breakdown    also time processes that each do one step more (where a cold start goes)
  --out FILE     where to write the JSON results (default: bench/results.json at the repository root)
`;

function parse(argv: readonly string[]) {
  let quick = false;
  let out = join(repoRoot(), "bench", "results.json");
  let only: Set<number> | undefined;
  let breakdownRuns: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "--quick") quick = true;
    else if (arg === "--out") out = resolve(argv[++i] ?? out);
    else if (arg === "--only") only = new Set((argv[++i] ?? "").split(",").map(Number).filter(Boolean));
    else if (arg === "--breakdown") breakdownRuns = 15;
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(USAGE);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${arg}\n`);
      process.exit(2);
    }
  }
  if (quick && breakdownRuns) breakdownRuns = 1;
  return { quick, out, only, breakdownRuns };
}

async function main(): Promise<void> {
  killChildrenOnSignals();
  const { quick, out, only, breakdownRuns } = parse(process.argv.slice(2));
  const config = quick ? QUICK_CONFIG : FULL_CONFIG;
  const run = await runBench(config, {
    only,
    breakdownRuns,
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  let table = markdownTable(run.rows);
  if (run.results.breakdown)
    table += `\n\nWhere a cold start goes:\n\n${breakdownTable(run.results.breakdown)}`;
  process.stdout.write(
    `\n${describeMachine(run.machine)}${quick ? " — QUICK run, numbers are not meaningful" : ""}\n\n${table}\n`,
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ ...run, quick, table }, null, 2)}\n`);
  process.stderr.write(`[bench] wrote ${out} in ${Math.round(run.durationMs / 1000)} s\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
