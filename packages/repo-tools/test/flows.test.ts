import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineIntegration, graph, type SupportedFlows } from "@msint/integration-kit";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkFlows,
  compareWithSeed,
  FLOW_COLUMNS,
  type FlowRow,
  type LoadedIntegration,
  type ManifestSummary,
  manifestRow,
  parseFlowTable,
  renderDocs,
  renderSupportedFlows,
  SEED_PATH,
  writeDocs,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, "..", "..", "..");
const seedPath = process.env["MSINT_SEED_DOCUMENT"] ?? join(repositoryRoot, SEED_PATH);
const seedPresent = existsSync(seedPath);

const SAMPLE = `# Supported Authentication Flows for Microsoft integrations

| Integration Name      | XSOAR Application | Client Credentials | Device Code | Auth code (redirect URI) | Azure Managed Identities | Supports National Clouds |
|-----------------------|-------------------|--------------------|-------------|--------------------------|--------------------------|--------------------------|
| Sample Graph          | yes               | yes                | no          | yes                      | yes                      | no                       |
| Sample Collector      | no                | yes                | no          | no                       | no - saas                | no                       |
| Sample Device App     | yes - device      | yes                | yes         | no                       | yes                      | no                       |

# Troubleshooting
`;

/** The manifest flows a table row stands for (the inverse of flowTableWords). */
function flowsOf(row: FlowRow): SupportedFlows {
  const yes = (word: string) => word === "yes";
  return {
    xsoarApp: row.cells.xsoarApp === "yes - device" ? "device" : row.cells.xsoarApp === "yes" ? "yes" : false,
    clientCredentials: yes(row.cells.clientCredentials),
    deviceCode: yes(row.cells.deviceCode),
    authorizationCode: yes(row.cells.authorizationCode),
    managedIdentities:
      row.cells.managedIdentities === "no - saas" ? "saas" : yes(row.cells.managedIdentities),
    nationalClouds: yes(row.cells.nationalClouds),
  };
}

function manifestsFor(rows: readonly FlowRow[]): ManifestSummary[] {
  return rows.map((row, index) => ({
    id: `sample-${index}`,
    displayName: row.name,
    commandPrefix: `sample-${index}`,
    flows: flowsOf(row),
  }));
}

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the seed table", () => {
  it("parses the columns and words of the seed's table, stopping at the end of the table", () => {
    const rows = parseFlowTable(SAMPLE);
    expect(rows.map((row) => row.name)).toEqual(["Sample Graph", "Sample Collector", "Sample Device App"]);
    expect(rows[1]!.cells).toEqual({
      xsoarApp: "no",
      clientCredentials: "yes",
      deviceCode: "no",
      authorizationCode: "no",
      managedIdentities: "no - saas",
      nationalClouds: "no",
    });
    expect(rows[2]!.cells.xsoarApp).toBe("yes - device");
  });

  it.skipIf(!seedPresent)("reads the 37 rows of the seed document", () => {
    const rows = parseFlowTable(readFileSync(seedPath, "utf8"));
    expect(rows).toHaveLength(37);
    expect(rows[0]!.name).toBe("Azure Compute v2");
    expect(
      rows.find((row) => row.name === "Microsoft 365 Defender Event Collector - XSIAM")?.cells
        .managedIdentities,
    ).toBe("no - saas");
  });

  it("rejects a document without the table", () => {
    expect(() => parseFlowTable("# Nothing here\n")).toThrow('No table with a "Integration Name" column');
  });
});

describe("check:flows", () => {
  const seed = parseFlowTable(SAMPLE);

  it("finds no difference when every manifest matches its row", () => {
    expect(compareWithSeed(seed, manifestsFor(seed))).toEqual([]);
    for (const manifest of manifestsFor(seed)) {
      expect(manifestRow(manifest).cells).toEqual(
        seed.find((row) => row.name === manifest.displayName)!.cells,
      );
    }
  });

  it("fails on a manufactured difference, naming the integration, the column and both words", () => {
    const manifests = manifestsFor(seed);
    manifests[1] = { ...manifests[1]!, flows: { ...manifests[1]!.flows, managedIdentities: false } };
    manifests[2] = { ...manifests[2]!, flows: { ...manifests[2]!.flows, xsoarApp: "yes" } };
    const differences = compareWithSeed(seed, manifests);
    expect(differences.map((difference) => difference.message)).toEqual([
      'Sample Collector › Azure Managed Identities: the seed table says "no - saas", @msint/sample-1 says "no".',
      'Sample Device App › XSOAR Application: the seed table says "yes - device", @msint/sample-2 says "yes".',
    ]);
  });

  it("takes 'yes - device' with a built-in public client for the seed's 'yes' (XSOAR's device-code application)", () => {
    const manifests = manifestsFor(seed);
    const yes = manifests.findIndex((manifest) => manifest.flows.xsoarApp === "yes");
    manifests[yes] = { ...manifests[yes]!, flows: { ...manifests[yes]!.flows, xsoarApp: "device" } };
    // Without the client it is a difference; with it, XSOAR's way to the same application.
    expect(compareWithSeed(seed, manifests)).toHaveLength(1);
    manifests[yes] = { ...manifests[yes]!, builtInClientId: "9093c354-630a-47f1-b087-6768eb9427e6" };
    expect(compareWithSeed(seed, manifests)).toEqual([]);
  });

  it("fails when a seed row has no integration, and when two integrations claim one row", () => {
    const manifests = manifestsFor(seed);
    expect(compareWithSeed(seed, manifests.slice(1)).map((difference) => difference.message)).toEqual([
      "Sample Graph: in the seed table, but no integration has this displayName.",
    ]);
    const doubled = [...manifests, { ...manifests[0]!, id: "copy" }];
    expect(compareWithSeed(seed, doubled)[0]?.message).toContain("2 integrations have this displayName");
  });

  it("an integration the seed does not list is not a difference", () => {
    const extra = {
      id: "new-one",
      displayName: "Brand New",
      commandPrefix: "new-one",
      flows: flowsOf(seed[0]!),
    };
    expect(compareWithSeed(seed, [...manifestsFor(seed), extra])).toEqual([]);
  });

  it("renders the table with the seed's columns, words and order", () => {
    const markdown = renderSupportedFlows(manifestsFor(seed));
    expect(parseFlowTable(markdown)).toEqual(seed);
    const header = markdown.split("\n").find((line) => line.startsWith("| Integration Name"))!;
    expect(
      header
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    ).toEqual(["Integration Name", ...FLOW_COLUMNS.map((column) => column.heading)]);
  });
});

function workspace(seedText: string, integrations: LoadedIntegration[]) {
  const root = mkdtempSync(join(tmpdir(), "msint-flows-"));
  temporary.push(root);
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages: []\n");
  mkdirSync(join(root, "integrations"));
  const seedFile = join(root, "seed.md");
  writeFileSync(seedFile, seedText);
  return { root, seedFile, integrations };
}

const sampleIntegration = (flows: SupportedFlows) =>
  defineIntegration({
    id: "sample-graph",
    displayName: "Sample Graph",
    commandPrefix: "sample-graph",
    flows,
    resource: graph(),
    commands: {
      "sample-graph-users-list": { description: "Lists users.", run: async () => ({ readable: "" }) },
    },
  });

describe("docs/ staleness", () => {
  it("reports docs that differ from the manifests, and none after writing them", async () => {
    const seedText = SAMPLE.split("\n")
      .filter((line) => !line.includes("Sample Collector") && !line.includes("Sample Device App"))
      .join("\n");
    const seed = parseFlowTable(seedText);
    const integrations = [
      { folder: "integrations/sample-graph", integration: sampleIntegration(flowsOf(seed[0]!)) },
    ];
    const { root } = workspace(seedText, integrations);
    expect((await checkFlows(root, integrations, seed)).stale).toEqual([
      "docs/supported-flows.md",
      "docs/integrations/sample-graph.md",
    ]);
    writeDocs(root, renderDocs(root, integrations, seed));
    expect(await checkFlows(root, integrations, seed)).toEqual({ differences: [], stale: [], notes: [] });
    writeFileSync(join(root, "docs", "integrations", "gone.md"), "# An integration that no longer exists\n");
    expect((await checkFlows(root, integrations, seed)).stale).toEqual(["docs/integrations/gone.md"]);
  });

  it("the check-flows command exits 1 with one line per differing cell", () => {
    const cli = join(here, "..", "dist", "cli.js");
    expect(existsSync(cli), "build @msint/repo-tools first").toBe(true);
    const { root, seedFile } = workspace(SAMPLE, []);
    const result = spawnSync(process.execPath, [cli, "check-flows"], {
      cwd: root,
      env: { ...process.env, MSINT_SEED_DOCUMENT: seedFile },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "✗ Sample Graph: in the seed table, but no integration has this displayName.",
    );
    expect(result.stderr).toContain("check:flows failed: 3 difference(s) with the seed table");
  });
});
