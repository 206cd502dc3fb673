// `repo-tools check-xsoar`: each integration's commands, argument names and broker app name compared with the
// table transcribed from demisto/content (data/xsoar/<id>.json), with a committed baseline of the known
// differences so that a new one fails and a fixed one asks for the baseline to shrink.

/** One argument of an XSOAR command, as its yml declares it. */
export interface XsoarArgument {
  name: string;
  required: boolean;
  default: string | null;
  predefined: string[];
  deprecated?: boolean;
}

/** One command of an XSOAR integration's yml (`script.commands`). */
export interface XsoarCommand {
  name: string;
  deprecated: boolean;
  arguments: XsoarArgument[];
  outputs: string[];
}

/** What the table says of the XSOAR integration (null when it was not found or not transcribed). */
export interface XsoarSource {
  name: string;
  display?: string;
  pack: string;
  sources: string[];
  commit?: string | null;
  appName: string | null;
  builtInClientId: string | null;
  brokerResource: string | null;
  notes?: string[];
}

/** data/xsoar/<id>.json. */
export interface XsoarTable {
  id: string;
  xsoar: XsoarSource | null;
  reason?: string;
  commands: XsoarCommand[];
}

/** What the comparison needs of one msint command. */
export interface MsintCommand {
  name: string;
  /** The XSOAR command it stands for when its name differs (an optional `xsoarName` on the command). */
  xsoarName?: string;
  arguments: string[];
}

/** What the comparison needs of one manifest. */
export interface MsintSummary {
  id: string;
  displayName: string;
  /** flows.xsoarApp: the broker app name is compared only where it is "yes". */
  xsoarApp: false | "yes" | "device";
  /** The broker app name msint sends (the manifest's brokerAppName, else its id). */
  appName: string;
  commands: MsintCommand[];
}

/** One XSOAR command and the msint command that stands for it. */
export interface CommandPair {
  xsoar: XsoarCommand;
  msint?: MsintCommand;
}

/** The comparison of one integration. */
export interface ParityReport {
  id: string;
  displayName: string;
  table: XsoarTable;
  /** Null when the table has no XSOAR integration (nothing to compare). */
  coverage: { present: number; total: number; percent: number } | null;
  pairs: CommandPair[];
  msintOnly: MsintCommand[];
  /** Every difference as a stable baseline entry: missing commands, argument and app-name mismatches. */
  differences: string[];
}

/** The XSOAR name an msint command stands for. */
export const xsoarNameOf = (command: MsintCommand): string => command.xsoarName ?? command.name;

function argumentDifferences(pair: Required<CommandPair>): string[] {
  const { xsoar, msint } = pair;
  const xsoarNames = new Set(xsoar.arguments.map((argument) => argument.name));
  const msintNames = new Set(msint.arguments);
  const label = msint.name === xsoar.name ? msint.name : `${msint.name} (XSOAR ${xsoar.name})`;
  const differences: string[] = [];
  for (const name of msint.arguments)
    if (!xsoarNames.has(name)) differences.push(`${label}: argument ${name} is not in XSOAR`);
  for (const argument of xsoar.arguments)
    if (!argument.deprecated && !msintNames.has(argument.name))
      differences.push(`${label}: XSOAR argument ${argument.name} is not in msint`);
  return differences;
}

/** Compares one manifest with its table. */
export function compareIntegration(msint: MsintSummary, table: XsoarTable): ParityReport {
  const report: ParityReport = {
    id: msint.id,
    displayName: msint.displayName,
    table,
    coverage: null,
    pairs: [],
    msintOnly: [],
    differences: [],
  };
  if (!table.xsoar) return report;
  const byXsoarName = new Map(msint.commands.map((command) => [xsoarNameOf(command), command]));
  const xsoarNames = new Set(table.commands.map((command) => command.name));
  report.pairs = table.commands.map((xsoar) => ({ xsoar, msint: byXsoarName.get(xsoar.name) }));
  report.msintOnly = msint.commands.filter((command) => !xsoarNames.has(xsoarNameOf(command)));
  const live = report.pairs.filter((pair) => !pair.xsoar.deprecated);
  const present = live.filter((pair) => pair.msint).length;
  report.coverage = {
    present,
    total: live.length,
    percent: live.length ? Math.round((present / live.length) * 1000) / 10 : 100,
  };
  for (const pair of report.pairs) {
    if (pair.msint) report.differences.push(...argumentDifferences(pair as Required<CommandPair>));
    else if (!pair.xsoar.deprecated) report.differences.push(`command ${pair.xsoar.name}: not yet in msint`);
  }
  for (const command of report.msintOnly) report.differences.push(`command ${command.name}: msint only`);
  if (msint.xsoarApp === "yes" && table.xsoar.appName !== msint.appName)
    report.differences.push(
      `app name: msint sends ${msint.appName}, XSOAR ${table.xsoar.appName ?? "has no broker app name"}`,
    );
  report.differences.sort();
  return report;
}

/** data/xsoar/known-differences.json. */
export interface ParityBaseline {
  note: string;
  differences: Record<string, string[]>;
}

export const BASELINE_NOTE =
  "Generated by `repo-tools check-xsoar --update-baseline`: the known differences with XSOAR. Check-xsoar fails on any difference not listed here and on any entry here that no longer occurs.";

/** The baseline that records exactly the reports' current differences. */
export function baselineOf(reports: readonly ParityReport[]): ParityBaseline {
  const differences: Record<string, string[]> = {};
  for (const report of [...reports].sort((a, b) => a.id.localeCompare(b.id)))
    if (report.differences.length) differences[report.id] = [...report.differences];
  return { note: BASELINE_NOTE, differences };
}

/** The drift between the reports and the baseline. */
export interface ParityDrift {
  /** Differences that occur now but are not in the baseline (a regression, or a new integration/table). */
  added: { id: string; entry: string }[];
  /** Baseline entries that no longer occur (parity improved: the baseline must shrink). */
  removed: { id: string; entry: string }[];
}

export function compareWithBaseline(reports: readonly ParityReport[], baseline: ParityBaseline): ParityDrift {
  const drift: ParityDrift = { added: [], removed: [] };
  const current = new Map(reports.map((report) => [report.id, new Set(report.differences)]));
  for (const report of reports) {
    const known = new Set(baseline.differences[report.id] ?? []);
    for (const entry of report.differences) if (!known.has(entry)) drift.added.push({ id: report.id, entry });
  }
  for (const [id, entries] of Object.entries(baseline.differences)) {
    const now = current.get(id) ?? new Set<string>();
    for (const entry of entries) if (!now.has(entry)) drift.removed.push({ id, entry });
  }
  return drift;
}

/** The lines check-xsoar prints for a drift, with what to do about it. */
export function describeDrift(drift: ParityDrift, baselinePath: string): string[] {
  const lines: string[] = [];
  for (const { id, entry } of drift.added) lines.push(`✗ new difference in ${id}: ${entry}`);
  for (const { id, entry } of drift.removed)
    lines.push(`✗ ${id}: "${entry}" no longer occurs; remove it from ${baselinePath}`);
  if (lines.length)
    lines.push(
      `Fix the new differences, or if they are intended (or the baseline only needs to shrink), run \`node packages/repo-tools/dist/cli.js check-xsoar --update-baseline\` and commit ${baselinePath}.`,
    );
  return lines;
}
