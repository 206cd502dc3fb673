import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SENTINEL = `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights`;
const INCIDENT = {
  name: "73e01a99-5cd7-4139-a149-9f2736ff2ab5",
  etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
  properties: {
    title: "Multiple failed sign-ins",
    severity: "High",
    status: "New",
    incidentNumber: 3177,
    createdTimeUtc: "2024-05-01T10:00:00Z",
    owner: { assignedTo: "Adele Vance" },
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscriptionID: SUBSCRIPTION, resourceGroupName: "soc-rg", workspaceName: "soc-ws" },
  });
  const { emulator } = harness;
  const base =
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.OperationalInsights/workspaces/:ws/providers/Microsoft.SecurityInsights";
  emulator.addRoute("GET", `${base}/incidents`, { resource: "arm" }, (ctx) =>
    ctx.json(200, {
      value: [INCIDENT],
      nextLink: `https://management.azure.com${SENTINEL}/incidents?api-version=2022-11-01&$skipToken=2`,
    }),
  );
  emulator.addRoute("GET", `${base}/incidents/:id`, { resource: "arm" }, (ctx) => ctx.json(200, INCIDENT));
  emulator.addRoute("PUT", `${base}/incidents/:id/comments/:comment`, { resource: "arm" }, (ctx) =>
    ctx.json(201, {
      name: ctx.params["comment"],
      properties: (ctx.body as { properties: object }).properties,
    }),
  );
  emulator.addRoute("GET", `${base}/watchlists`, { resource: "arm" }, (ctx) =>
    ctx.json(200, {
      value: [
        {
          name: "high-value-assets",
          properties: { displayName: "High Value Assets", watchlistAlias: "hva" },
        },
      ],
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Sentinel manifest", () => {
  it("names the workspace parameter", () => {
    expect(integration.parameter("workspaceName")?.displayName).toBe("Workspace Name");
  });
});

describe("incidents", () => {
  it("azure-sentinel-list-incidents lists newest first and prints the next link", async () => {
    const result = await harness.run("azure-sentinel-list-incidents", {
      limit: "10",
      filter: "properties/severity eq 'High'",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SENTINEL}/incidents`,
      query: {
        "api-version": "2024-03-01",
        $top: "10",
        $filter: "properties/severity eq 'High'",
        $orderby: "properties/createdTimeUtc desc",
      },
    });
    expect(result.readable).toContain(
      "|73e01a99-5cd7-4139-a149-9f2736ff2ab5|3177|Multiple failed sign-ins|High|New|Adele Vance|",
    );
    expect(result.readable).toContain("next_link=");
    expect(result.outputsPrefix).toBe("AzureSentinel.Incident");
  });

  it("azure-sentinel-get-incident-by-id and -incident-add-comment", async () => {
    await harness.run("azure-sentinel-get-incident-by-id", { incident_id: INCIDENT.name });
    expect(harness.lastCall().path).toBe(`${SENTINEL}/incidents/${INCIDENT.name}`);
    const result = await harness.run("azure-sentinel-incident-add-comment", {
      incident_id: INCIDENT.name,
      message: "Investigating",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      body: { properties: { message: "Investigating" } },
      query: { "api-version": "2024-03-01" },
    });
    expect(call.path).toMatch(new RegExp(`^${SENTINEL}/incidents/${INCIDENT.name}/comments/[0-9a-f-]{36}$`));
    expect(result.outputs).toMatchObject({ IncidentID: INCIDENT.name, Message: "Investigating" });
  });

  it("azure-sentinel-list-watchlists; a US GCC-High instance calls the US Government ARM", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall()).toMatchObject({
      host: "management.usgovcloudapi.net",
      path: `${SENTINEL}/watchlists`,
    });
    // XSOAR's mapping: Name is the resource name, Alias the watchlistAlias property.
    expect(result.outputs).toEqual([
      { Name: "high-value-assets", DisplayName: "High Value Assets", Alias: "hva" },
    ]);
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-sentinel-list-incidents", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
