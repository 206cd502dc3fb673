import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const RISKY_USER = {
  id: "c6f8b3a1-0d5e-4f7c-9a2b-3e4d5f6a7b8c",
  userPrincipalName: "adelev@contoso.onmicrosoft.com",
  riskLevel: "high",
  riskState: "atRisk",
  riskDetail: "none",
  riskLastUpdatedDateTime: "2024-05-01T10:00:00Z",
};
const DETECTION = {
  id: "6a1c5e0b2f3d",
  userPrincipalName: "adelev@contoso.onmicrosoft.com",
  riskEventType: "anonymizedIPAddress",
  riskLevel: "medium",
  riskState: "atRisk",
  ipAddress: "185.220.101.1",
  detectedDateTime: "2024-05-01T09:58:00Z",
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All"] },
  });
  const { emulator } = harness;
  const riskyUsers = {
    resource: "graph",
    roles: ["IdentityRiskyUser.Read.All"],
    scopes: ["IdentityRiskyUser.Read.All"],
  };
  const riskEvents = {
    resource: "graph",
    roles: ["IdentityRiskEvent.Read.All"],
    scopes: ["IdentityRiskEvent.Read.All"],
  };
  emulator.addRoute("GET", "/v1.0/identityProtection/riskyUsers", riskyUsers, (ctx) =>
    ctx.json(200, {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskyUsers",
      value: [RISKY_USER],
    }),
  );
  emulator.addRoute("GET", "/v1.0/identityProtection/riskDetections", riskEvents, (ctx) =>
    ctx.json(200, { value: [DETECTION] }),
  );
  emulator.addRoute("GET", "/v1.0/identityProtection/riskDetections/:id", riskEvents, (ctx) =>
    ctx.params["id"] === DETECTION.id
      ? ctx.json(200, DETECTION)
      : ctx.error(404, "ResourceNotFound", "Resource not found."),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Risky Users manifest", () => {
  it("asks Graph for .default as the app and for the Identity Protection scopes as a user", () => {
    const params = resolveParameterValues(integration.parameters, {}, {});
    const endpoints = resolveEndpoints(integration.manifest, params);
    expect(scopesFor(integration.manifest, "client-credentials", endpoints)).toEqual([
      "https://graph.microsoft.com/.default",
    ]);
    expect(scopesFor(integration.manifest, "device-code", endpoints)).toEqual([
      "IdentityRiskyUser.Read.All",
      "IdentityRiskEvent.Read.All",
      "offline_access",
    ]);
  });
});

describe("risky users and detections", () => {
  it("azure-risky-users-list filters by state and level", async () => {
    const result = await harness.run("azure-risky-users-list", {
      risk_state: "atRisk",
      risk_level: "high",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/identityProtection/riskyUsers",
      query: { $top: "10", $filter: "riskState eq 'atRisk' and riskLevel eq 'high'" },
    });
    expect(result.readable).toMatch(/^### Risky Users List\n\|userPrincipalName\|riskLevel\|riskState\|/);
    expect(result.outputsPrefix).toBe("AzureRiskyUsers.RiskyUser");
    expect(result.outputs).toEqual([RISKY_USER]);
  });

  it("azure-risky-users-risk-detections-list orders newest first", async () => {
    const result = await harness.run("azure-risky-users-risk-detections-list", { user_id: RISKY_USER.id });
    expect(harness.lastCall().query).toEqual({
      $top: "50",
      $orderby: "detectedDateTime desc",
      $filter: `userId eq '${RISKY_USER.id}'`,
    });
    expect(result.outputs).toEqual([DETECTION]);
  });

  it("azure-risky-users-risk-detection-get gets one detection", async () => {
    const result = await harness.run("azure-risky-users-risk-detection-get", { id: DETECTION.id });
    expect(harness.lastCall().path).toBe(`/v1.0/identityProtection/riskDetections/${DETECTION.id}`);
    expect(result.readable).toContain(`### Risk Detection ${DETECTION.id}`);
    await expect(harness.run("azure-risky-users-risk-detection-get", { id: "nope" })).rejects.toThrow(
      "ResourceNotFound",
    );
  });

  it("a signed-in user's delegated token with the scope is accepted", async () => {
    const result = await harness.runWithToken(
      "azure-risky-users-list",
      {},
      { scp: "IdentityRiskyUser.Read.All offline_access" },
    );
    expect(result.outputs).toEqual([RISKY_USER]);
  });
});

describe("auth errors", () => {
  it("an app without IdentityRiskyUser.Read.All is denied, and told to reset after granting it", async () => {
    const error = await harness
      .runWithToken("azure-risky-users-list", {}, { roles: ["User.Read.All"] })
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain("azure-risky-users-auth-reset");
  });
});
