import { execFile } from "node:child_process";
import * as emulatorModule from "@msint/entra-emulator";
import { type RunningEmulator, startEmulator } from "@msint/entra-emulator";
import type { Integration } from "@msint/integration-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorInstanceLines } from "../src/emulator-instances.js";
import { demoFacts } from "../src/emulator-key.js";
import { loadAllIntegrations } from "../src/registry.js";
import { BIN, tempHome } from "./helpers.js";

// The seed document marks most rows "Supports National Clouds: no"; msint offers every named cloud to every
// integration (docs/supported-flows.md, "National clouds"). Each such row runs its -test in US GCC-High through the
// emulator's HTTPS proxy for the real national host names, as a person would: the instance line that
// `msint emulator --instances` prints, pasted with Azure Cloud = US GCC-High.

let emulator: RunningEmulator;
let home: { home: string; cleanup: () => Promise<void> };
const integrations: Integration[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, proxy: true });
  home = await tempHome();
  integrations.push(...(await loadAllIntegrations()));
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  await home?.cleanup();
});

/** The rows that refuse a national cloud rather than call a Worldwide host with its token. */
const REFUSED = ["microsoft-365-defender", "microsoft-teams"];

/** The flows a test can run without a person, in the order tried. */
const UNATTENDED = ["Client Credentials", "Account SAS", "Managed", "Cortex XSOAR application"];

/** The first unattended flow's pasted lines: the `export` line (if any) and the `instance add` line. */
function unattendedLines(
  integration: Integration,
): { exports: Record<string, string>; add: string } | undefined {
  const appName = integration.manifest.brokerAppName ?? integration.manifest.id;
  const facts = demoFacts(emulatorModule, emulator, undefined, appName);
  // A cluster of the US Government cloud names its cloud itself (Data Explorer's cluster URL).
  const parameters = { ...facts.parameters, cluster_url: emulatorModule.DEMO_KUSTO_CLUSTER_US_GOV };
  const lines = emulatorInstanceLines(integration, { ...facts, parameters });
  const blocks: Array<{ title: string; lines: string[] }> = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("# ")) blocks.push({ title: line.slice(2), lines: [] });
    else blocks.at(-1)?.lines.push(line);
  }
  for (const prefix of UNATTENDED) {
    const block = blocks.find(
      (candidate) => candidate.title.startsWith(prefix) && !/certificate|device/i.test(candidate.title),
    );
    const add = block?.lines.find((line) => line.startsWith("msint instance add "));
    if (!block || !add) continue;
    const exports: Record<string, string> = {};
    for (const line of block.lines.filter((candidate) => candidate.startsWith("export "))) {
      for (const pair of line.slice("export ".length).split(" ")) {
        const [name, ...value] = pair.split("=");
        exports[name!] = value.join("=");
      }
    }
    return { exports, add };
  }
  return undefined;
}

function paste(
  line: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = line.replace(/^msint /, `"${process.execPath}" "${BIN}" `);
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", command],
      {
        env: {
          ...process.env,
          MSINT_HOME: home.home,
          MSINT_LOG: undefined,
          HTTPS_PROXY: emulator.proxyUrl!,
          NO_PROXY: "127.0.0.1,localhost",
          NODE_EXTRA_CA_CERTS: emulator.caCertFile!,
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** US GCC-High's host names (learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure). */
const GCC_HIGH_HOST =
  /^(graph\.microsoft\.us|management\.usgovcloudapi\.net|[a-z0-9-]+\.(vault|blob|file|queue|table|core)\.usgovcloudapi\.net|[a-z0-9-]+\.(blob|file|queue|table)\.core\.usgovcloudapi\.net|api\.loganalytics\.us|api-gov\.securitycenter\.microsoft\.us|api\.security\.microsoft\.us|manage\.office365\.us|[a-z0-9.-]+\.kusto\.usgovcloudapi\.net|dev\.azure\.com|.+\.us)$/;

describe("rows the seed marks 'no' for national clouds run in US GCC-High", () => {
  it("every such row's -test passes there, signing in at login.microsoftonline.us and calling US Government hosts", async () => {
    // Two rows refuse instead (tested below): Microsoft 365 Defender's API and Teams' Bot Framework have no US
    // Government host msint knows, and a GCC-High token never goes to their Worldwide ones.
    const beyond = integrations.filter(
      (integration) =>
        !integration.manifest.flows.nationalClouds && !REFUSED.includes(integration.manifest.id),
    );
    expect(beyond.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const integration of beyond) {
      const { manifest } = integration;
      const lines = unattendedLines(integration);
      if (!lines) {
        failures.push(`${manifest.id}: no unattended flow`);
        continue;
      }
      const name = lines.add.split(" ")[3]!;
      // Defender's Endpoint Type chooses the cloud where the integration has one (Azure Cloud left empty).
      const cloud = integration.parameter("endpoint_type")
        ? "--param endpoint_type='US GCC-High'"
        : "--param azure_cloud='US GCC-High'";
      const added = await paste(`${lines.add} ${cloud}`, lines.exports);
      if (added.code !== 0) {
        failures.push(`${manifest.id}: instance add: ${added.stderr.trim()}`);
        continue;
      }
      emulator.clearRequests();
      const test = manifest.generatedCommandNames?.["test"] ?? `${manifest.commandPrefix}-test`;
      const tested = await paste(`msint run ${test} --instance ${name}`, lines.exports);
      if (tested.code !== 0 || !tested.stdout.includes("✅ Success!")) {
        failures.push(`${manifest.id}: ${test}: ${(tested.stderr || tested.stdout).trim().split("\n")[0]}`);
        continue;
      }
      // Every API request went to a US Government host; tokens (if any) came from login.microsoftonline.us.
      const reached = [
        ...tested.stdout.matchAll(/^- [^:]+: (?:GET|POST|PUT|PATCH|DELETE) ([^/\s]+)\//gm),
      ].map((match) => match[1]!);
      if (reached.length === 0 || reached.some((host) => !GCC_HIGH_HOST.test(host))) {
        failures.push(`${manifest.id}: reached ${reached.join(", ") || "nothing"}`);
      }
      const tokenHosts = emulator
        .tokenRequests()
        .map((request) => request.headers["host"] ?? "")
        .filter((host) => !host.startsWith("127.0.0.1"));
      if (tokenHosts.some((host) => host !== "login.microsoftonline.us")) {
        failures.push(`${manifest.id}: token requests to ${tokenHosts.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("Teams in US GCC-High refuses the Worldwide Bot Framework, before any request", async () => {
    const integration = integrations.find((candidate) => candidate.manifest.id === "microsoft-teams")!;
    const lines = unattendedLines(integration)!;
    const name = lines.add.split(" ")[3]!;
    expect((await paste(`${lines.add} --param azure_cloud='US GCC-High'`, lines.exports)).code).toBe(0);
    emulator.clearRequests();
    const tested = await paste(`msint run microsoft-teams-test --instance ${name}`, lines.exports);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain(
      "The Bot Framework of the cloud that signs in at https://login.microsoftonline.us is not supported",
    );
    expect(emulator.requests.filter((request) => request.service === "bot-framework")).toEqual([]);
  }, 120_000);

  it("Microsoft 365 Defender in US GCC-High refuses the Worldwide API and names Endpoint URI", async () => {
    const integration = integrations.find((candidate) => candidate.manifest.id === "microsoft-365-defender")!;
    const lines = unattendedLines(integration)!;
    const name = lines.add.split(" ")[3]!;
    const added = await paste(`${lines.add} --param azure_cloud='US GCC-High'`, lines.exports);
    expect(added.code).toBe(0);
    emulator.clearRequests();
    const tested = await paste(`msint run microsoft-365-defender-test --instance ${name}`, lines.exports);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain(
      "Endpoint URI is the Worldwide API (https://api.security.microsoft.com), but Azure Cloud signs in at https://login.microsoftonline.us.",
    );
    expect(emulator.requests.filter((request) => request.service !== undefined)).toEqual([]);
  }, 120_000);
});
