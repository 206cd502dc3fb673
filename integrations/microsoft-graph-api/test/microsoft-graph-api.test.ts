import { DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const ORGANIZATION = {
  id: DEMO_TENANT_ID,
  displayName: "Contoso",
  countryLetterCode: "US",
  verifiedDomains: [{ name: "contoso.onmicrosoft.com", isDefault: true }],
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["User.Read.All", "User.ReadWrite.All", "Organization.Read.All"] },
  });
  harness.emulator.addRoute(
    "GET",
    "/v1.0/organization",
    { resource: "graph", roles: ["Organization.Read.All"] },
    (ctx) => ctx.json(200, { value: [ORGANIZATION] }),
  );
  harness.emulator.addRoute(
    "PATCH",
    "/beta/users/:id",
    { resource: "graph", roles: ["User.ReadWrite.All"] },
    (ctx) => ctx.empty(204),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("requests", () => {
  it("msgraph-api-request sends GET /v1.0/{resource} with the OData options (the emulator's own users)", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "/users",
      odata: "$top=2&$select=id,displayName",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/users",
      query: { $top: "2", $select: "id,displayName" },
    });
    expect(result.outputsPrefix).toBe("MicrosoftGraph");
    expect(result.outputs).toHaveLength(2);
    expect(result.readable).toMatch(/^### Microsoft Graph: GET \/users\n\|id\|displayName\|/);
  });

  it("msgraph-api-request with a body and the beta version", async () => {
    const result = await harness.run("msgraph-api-request", {
      resource: "users/adelev@contoso.onmicrosoft.com",
      http_method: "PATCH",
      api_version: "beta",
      request_body: '{"accountEnabled": false}',
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: "/beta/users/adelev@contoso.onmicrosoft.com",
      body: { accountEnabled: false },
    });
    expect(result.readable).toBe("The API returned no content (PATCH users/adelev@contoso.onmicrosoft.com).");
  });

  it("msgraph-api-request refuses absolute URLs", async () => {
    await expect(harness.run("msgraph-api-request", { resource: "https://evil.example/x" })).rejects.toThrow(
      "resource is a path",
    );
  });

  it("msgraph-api-organization-get in US GCC-High goes to graph.microsoft.us", async () => {
    const result = await harness.run("msgraph-api-organization-get", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall()).toMatchObject({ host: "graph.microsoft.us", path: "/v1.0/organization" });
    expect(result.readable).toContain(`|${DEMO_TENANT_ID}|Contoso|US|contoso.onmicrosoft.com|`);
  });
});

describe("auth errors", () => {
  it("Graph's 403 for a missing permission names the reset command", async () => {
    const error = await harness
      .runWithToken(
        "msgraph-api-request",
        { resource: "users/x", http_method: "PATCH", api_version: "beta", request_body: "{}" },
        { roles: ["User.Read.All"] },
      )
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("msgraph-api-auth-reset");
  });
});
