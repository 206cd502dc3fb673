import {
  extensionFlowDefinitions,
  extensionFlows,
  type FlowDefinition,
  flowTableWords,
  type IntegrationManifest,
  SEED_COLUMNS,
} from "@msint/integration-kit";

/** The six columns of the seed table: manifest key and the seed's column heading (the kit's flow registry). */
export const FLOW_COLUMNS = SEED_COLUMNS;

/** The heading of the table's first column. */
export const NAME_HEADING = "Integration Name";

/** The seed document's heading above the table. */
export const SEED_TABLE_HEADING = "Supported Authentication Flows for Microsoft integrations";

/** A flow key of the table. */
export type FlowKey = (typeof FLOW_COLUMNS)[number]["key"];

/** One row of the table in the seed's words ("yes", "no", "yes - device", "no - saas"). */
export interface FlowRow {
  name: string;
  cells: Record<FlowKey, string>;
}

/** What the checker needs of an integration. */
export type ManifestSummary = Pick<IntegrationManifest, "id" | "displayName" | "commandPrefix" | "flows"> &
  Partial<Pick<IntegrationManifest, "builtInClientId">>;

/**
 * Where the seed says "yes" for the Cortex XSOAR application but XSOAR reaches it through a built-in public client
 * by device code (Microsoft 365 Defender's 9093c354-…, from its yml): the manifest says "yes - device" and names
 * the client. Issue 14 asks for XSOAR's behaviour; the table shows how msint reaches it.
 */
function sameXsoarApplication(seedWord: string, manifestWord: string, manifest: ManifestSummary): boolean {
  return seedWord === "yes" && manifestWord === "yes - device" && manifest.builtInClientId !== undefined;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

const normalizeWord = (word: string) => word.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * Reads the table under "Supported Authentication Flows for Microsoft integrations" (or the first table whose
 * heading row starts with "Integration Name"). Throws with the reason when the table is missing or malformed.
 */
export function parseFlowTable(markdown: string): FlowRow[] {
  const lines = markdown.split(/\r?\n/);
  const sectionStart = lines.findIndex((line) => line.replace(/^#+\s*/, "").trim() === SEED_TABLE_HEADING);
  const from = Math.max(sectionStart, 0);
  const headerIndex = lines.findIndex(
    (line, index) => index >= from && line.trim().startsWith("|") && splitRow(line)[0] === NAME_HEADING,
  );
  if (headerIndex < 0) throw new Error(`No table with a "${NAME_HEADING}" column was found.`);
  const headings = splitRow(lines[headerIndex]!);
  const positions = FLOW_COLUMNS.map((column) => {
    const position = headings.indexOf(column.heading);
    if (position < 0)
      throw new Error(`The table has no "${column.heading}" column (it has: ${headings.join(", ")}).`);
    return position;
  });
  const rows: FlowRow[] = [];
  for (const line of lines.slice(headerIndex + 2)) {
    if (!line.trim().startsWith("|")) break;
    const cells = splitRow(line);
    const name = cells[0] ?? "";
    if (!name) continue;
    const row = { name, cells: {} as Record<FlowKey, string> };
    FLOW_COLUMNS.forEach((column, index) => {
      row.cells[column.key] = normalizeWord(cells[positions[index]!] ?? "");
    });
    rows.push(row);
  }
  if (rows.length === 0) throw new Error(`The "${NAME_HEADING}" table has no rows.`);
  return rows;
}

/** A manifest's row in the table's words. */
export function manifestRow(manifest: ManifestSummary): FlowRow {
  const words = flowTableWords(manifest.flows);
  return { name: manifest.displayName, cells: { ...words } };
}

/** One disagreement between the seed table and the manifests. */
export interface FlowDifference {
  name: string;
  /** The column heading, or undefined for a missing or extra row. */
  column?: string;
  seed?: string;
  manifest?: string;
  /** The integration id, when a manifest has the row. */
  id?: string;
  message: string;
}

/**
 * Compares every seed row with the manifest of the same display name, cell by cell. A seed row without a
 * manifest is a difference; a manifest the seed does not list (a new integration) is not.
 */
export function compareWithSeed(
  seed: readonly FlowRow[],
  manifests: readonly ManifestSummary[],
): FlowDifference[] {
  const differences: FlowDifference[] = [];
  const byName = new Map<string, ManifestSummary[]>();
  for (const manifest of manifests) {
    byName.set(manifest.displayName, [...(byName.get(manifest.displayName) ?? []), manifest]);
  }
  for (const row of seed) {
    const matches = byName.get(row.name) ?? [];
    if (matches.length === 0) {
      differences.push({
        name: row.name,
        message: `${row.name}: in the seed table, but no integration has this displayName.`,
      });
      continue;
    }
    if (matches.length > 1) {
      differences.push({
        name: row.name,
        message: `${row.name}: ${matches.length} integrations have this displayName (${matches.map((match) => match.id).join(", ")}).`,
      });
    }
    const manifest = matches[0]!;
    const actual = manifestRow(manifest);
    for (const column of FLOW_COLUMNS) {
      const seedWord = row.cells[column.key];
      const manifestWord = actual.cells[column.key];
      const deviceForYes =
        column.key === "xsoarApp" && sameXsoarApplication(seedWord, manifestWord, manifest);
      if (seedWord !== manifestWord && !deviceForYes) {
        differences.push({
          name: row.name,
          column: column.heading,
          seed: seedWord,
          manifest: manifestWord,
          id: manifest.id,
          message: `${row.name} › ${column.heading}: the seed table says "${seedWord}", @msint/${manifest.id} says "${manifestWord}".`,
        });
      }
    }
  }
  return differences;
}

/** Manifests in the table's order: `order` (display names) first, then the rest by display name. */
export function orderManifests<T extends ManifestSummary>(
  manifests: readonly T[],
  order: readonly string[],
): T[] {
  const rank = new Map(order.map((name, index) => [name, index]));
  return [...manifests].sort((a, b) => {
    const rankA = rank.get(a.displayName) ?? Number.POSITIVE_INFINITY;
    const rankB = rank.get(b.displayName) ?? Number.POSITIVE_INFINITY;
    if (rankA !== rankB) return rankA - rankB;
    return a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id);
  });
}

function table(headings: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headings.map((heading, index) =>
    Math.max(heading.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(" | ")} |`;
  return [
    line(headings),
    `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

/** The prose and table of the msint extension flows, from the flow registry. */
function extensionSection(extensions: readonly FlowDefinition[], having: number, total: number): string {
  const implied = extensions.map((definition) => {
    const column = SEED_COLUMNS.find((entry) => entry.key === definition.impliedBy);
    const summary = definition.docs.extension?.summary;
    return `${definition.displayName} is ${summary ?? "an msint extension"}${
      column ? `, so every integration that supports ${column.heading} has it` : ""
    }.`;
  });
  const rows = extensions.map((definition) => [
    definition.displayName,
    definition.docs.extension?.parameters ??
      (definition.authType ? `\`auth_type="${definition.authType}"\`` : ""),
    definition.docs.extension?.credential ?? "",
  ]);
  return `${[
    "Flows beyond the seed document, kept out of its table; `auth_type` selects them.",
    ...implied,
    `A manifest lists any other in \`flows.extensions\`. ${having} of ${total} integrations have at least one.`,
  ].join("\n")}

${table(["Flow", "Parameters", "Client credential sent"], rows)}`;
}

/**
 * Rows that refuse a named national cloud instead of sending its token to a Worldwide host, and why (the CLI's
 * national-clouds test checks each refusal).
 */
const NATIONAL_CLOUD_REFUSALS: Readonly<Record<string, string>> = {
  "microsoft-365-defender":
    "no: Microsoft documents no US Government host for its API; set Endpoint URI to your cloud's API",
  "microsoft-teams": "no: the Bot Framework commands run in Worldwide and US GCC only",
};

/** The seed's "Supports National Clouds" next to msint's, per row. */
function nationalCloudSection(manifests: readonly ManifestSummary[]): string {
  const rows = manifests.map((manifest) => {
    const seed = manifest.flows.nationalClouds ? "yes" : "no";
    const msint =
      NATIONAL_CLOUD_REFUSALS[manifest.id] ??
      (manifest.flows.nationalClouds ? "yes" : "yes, beyond the seed (-test runs in US GCC-High)");
    return [manifest.displayName, seed, msint];
  });
  const beyond = rows.filter((row) => row[2]!.startsWith("yes, beyond")).length;
  return `Azure Cloud offers Worldwide, US GCC, US GCC-High, DoD, China and Custom to every integration. Where the seed
says "no", msint still signs in at the cloud's login host and calls its own API hosts; for these ${beyond} rows
\`packages/cli/test/national-clouds.e2e.test.ts\` runs each integration's \`-test\` in US GCC-High through the emulator's
HTTPS proxy for the real host names. A row that cannot reach its API there refuses the cloud, naming the parameter,
rather than send the cloud's token to a Worldwide host.

${table([NAME_HEADING, "Supports National Clouds (seed)", "msint"], rows)}`;
}

/** `docs/supported-flows.md`: the seed's table (same columns and words), then where each row lives. */
export function renderSupportedFlows(manifests: readonly ManifestSummary[]): string {
  const flowRows = manifests.map((manifest) => {
    const row = manifestRow(manifest);
    return [row.name, ...FLOW_COLUMNS.map((column) => row.cells[column.key])];
  });
  const withExtensions = manifests.filter((manifest) => extensionFlows(manifest.flows).length > 0).length;
  const extensions = extensionFlowDefinitions();
  const packageRows = manifests.map((manifest) => [
    manifest.displayName,
    `[\`@msint/${manifest.id}\`](integrations/${manifest.id}.md)`,
    `\`${manifest.commandPrefix}\``,
  ]);
  return `# Supported Authentication Flows for Microsoft integrations

<!-- Generated by \`pnpm docs\` from the integrations' manifests. Do not edit: change a manifest and run \`pnpm docs\`. -->

Which authentication flows each integration supports, read from the \`flows\` of its manifest. \`pnpm check:flows\`
fails when this file is stale or when a manifest disagrees with the table of the seed document
(\`microsoft-integrations-authentication.md\`). "yes - device": the Cortex XSOAR application, reached through the
device code flow. "no - saas": managed identities do not apply, the product runs as SaaS.

${table([NAME_HEADING, ...FLOW_COLUMNS.map((column) => column.heading)], flowRows)}

## msint extensions

${extensionSection(extensions, withExtensions, manifests.length)}

## National clouds: the seed and msint

${nationalCloudSection(manifests)}

## Packages and command prefixes

Command prefixes repeat across integrations; the package id is the unique key.

${table([NAME_HEADING, "Package", "Command prefix"], packageRows)}
`;
}
