import {
  AUTH_PARAMETERS,
  defineIntegration,
  type FlowDefinition,
  graph,
  registerFlow,
  type SupportedFlows,
} from "@msint/integration-kit";
import { afterEach, describe, expect, it } from "vitest";
import { FLOW_COLUMNS, parseFlowTable, renderReference, renderSupportedFlows } from "../src/index.js";

/** A flow that exists only in this test: the generated docs must show it with no edit of repo-tools. */
const fixtureFlow: FlowDefinition = {
  id: "secret-file",
  flow: "secret-file",
  displayName: "Secret File",
  column: "msint extension",
  registration: "self-deployed",
  authType: "Secret File",
  delegated: false,
  supports: (manifest) => manifest.flows.extensions?.includes("secret-file") ?? false,
  parameters: [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id],
  select: { chosen: (context) => context.authType === "secret file" },
  docs: {
    reference: (manifest) =>
      fixtureFlow.supports(manifest)
        ? '- msint extension, Secret File: `auth_type="Secret File"` with `client_secret_file`.'
        : undefined,
    extension: {
      summary: "a fixture: the client-credentials grant with a secret read from a file",
      parameters: '`auth_type="Secret File"`; `tenant_id`, `auth_id`, `client_secret_file`',
      credential: "`client_secret`, read from the file",
    },
  },
};

const flows = (overrides: Partial<SupportedFlows>): SupportedFlows => ({
  xsoarApp: false,
  clientCredentials: false,
  deviceCode: false,
  authorizationCode: false,
  managedIdentities: true,
  nationalClouds: false,
  ...overrides,
});

const integration = (id: string, supported: SupportedFlows) =>
  defineIntegration({
    id,
    displayName: id,
    commandPrefix: id,
    flows: supported,
    resource: graph(),
    commands: {},
  });

/** The rows of the "msint extensions" table of docs/supported-flows.md. */
function extensionRows(markdown: string): string[] {
  const section = markdown.slice(
    markdown.indexOf("## msint extensions"),
    markdown.indexOf("## National clouds"),
  );
  return section
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| Flow") && !line.startsWith("| ---"))
    .map((line) => line.split("|")[1]!.trim());
}

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

describe("the docs read the flow registry", () => {
  it("the seed table keeps its six columns; the extension table lists the registry's extension flows", () => {
    expect(FLOW_COLUMNS.map((column) => column.heading)).toEqual([
      "XSOAR Application",
      "Client Credentials",
      "Device Code",
      "Auth code (redirect URI)",
      "Azure Managed Identities",
      "Supports National Clouds",
    ]);
    const manifests = [integration("with-cc", flows({ clientCredentials: true })).manifest];
    const markdown = renderSupportedFlows(manifests);
    expect(extensionRows(markdown)).toEqual(["Workload Identity", "Environment"]);
    expect(markdown).toContain("1 of 1 integrations have at least one.");
    // The seed's national-cloud column next to msint's.
    expect(markdown).toContain(
      "| with-cc          | no                              | yes, beyond the seed (-test runs in US GCC-High) |",
    );
  });

  it("a flow registered elsewhere shows up in the extension table and in the pages of the integrations that declare it", () => {
    unregister = registerFlow(fixtureFlow);
    const declaring = integration("declaring", flows({ extensions: ["secret-file"] }));
    const other = integration("other", flows({}));
    const markdown = renderSupportedFlows([declaring.manifest, other.manifest]);
    expect(extensionRows(markdown)).toEqual(["Workload Identity", "Environment", "Secret File"]);
    const row = markdown.split("\n").find((line) => line.startsWith("| Secret File "));
    expect(
      row
        ?.split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    ).toEqual([
      "Secret File",
      '`auth_type="Secret File"`; `tenant_id`, `auth_id`, `client_secret_file`',
      "`client_secret`, read from the file",
    ]);
    expect(markdown).toContain("1 of 2 integrations have at least one.");
    // The seed's table is untouched by an extension: same columns, same words.
    expect(parseFlowTable(markdown).map((row) => row.cells.managedIdentities)).toEqual(["yes", "yes"]);
    expect(renderReference(declaring)).toContain(
      '- msint extension, Secret File: `auth_type="Secret File"` with `client_secret_file`.',
    );
    expect(renderReference(other)).not.toContain("Secret File");
  });
});
