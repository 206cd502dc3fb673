// Azure Risky Users against the emulator's built-in Graph doubles and their seeded Entra ID Protection data (no
// routes added by the test): client credentials and the integration's device code flow. Request shapes from
// learn.microsoft.com/graph/api: riskyuser-list (GET /identityProtection/riskyUsers, $top, $filter on riskState,
// riskLevel, riskLastUpdatedDateTime), riskdetection-list (GET /identityProtection/riskDetections, $filter,
// $orderby) and riskdetection-get (GET /identityProtection/riskDetections/{id}).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const MEGAN = "08fa38e4-cbfa-4488-94ed-c834da6539df";
const DETECTION = "9a1c3e5a-7b9d-4f1a-a3c5-e7a9c1e3a5c7";

let harness: Harness;

const noGrantParams = () => ({ ...NO_GRANT_PARAMS });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("azure-risky-users-list filters on state, level and time", async () => {
    const result = await harness.run("azure-risky-users-list", {
      risk_state: "atRisk",
      risk_level: "high",
      updated_after: "2024-06-01T00:00:00Z",
      limit: "10",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/identityProtection/riskyUsers",
      query: {
        $top: "10",
        $filter:
          "riskState eq 'atRisk' and riskLevel eq 'high' and riskLastUpdatedDateTime gt 2024-06-01T00:00:00Z",
      },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        id: MEGAN,
        userPrincipalName: "meganb@contoso.onmicrosoft.com",
        riskLevel: "high",
        riskState: "atRisk",
      }),
    ]);
    expect(result.readable).toContain("|meganb@contoso.onmicrosoft.com|high|atRisk|none|");
  });

  it("azure-risky-users-risk-detections-list lists a user's detections, newest first", async () => {
    const result = await harness.run("azure-risky-users-risk-detections-list", { user_id: MEGAN });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/identityProtection/riskDetections",
      query: { $top: "50", $orderby: "detectedDateTime desc", $filter: `userId eq '${MEGAN}'` },
    });
    expect((result.outputs as Array<{ riskEventType: string }>).map((entry) => entry.riskEventType)).toEqual([
      "unfamiliarFeatures",
      "anonymizedIPAddress",
    ]);
  });

  it("azure-risky-users-risk-detection-get reads one detection; an unknown ID answers 404", async () => {
    const result = await harness.run("azure-risky-users-risk-detection-get", { id: DETECTION });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/identityProtection/riskDetections/${DETECTION}`,
    });
    expect(result.outputs).toMatchObject({
      id: DETECTION,
      riskEventType: "leakedCredentials",
      userPrincipalName: "alexw@contoso.onmicrosoft.com",
      ipAddress: "203.0.113.24",
    });
    await expect(harness.run("azure-risky-users-risk-detection-get", { id: "nope" })).rejects.toThrow(
      "Request_ResourceNotFound",
    );
  });
});

describe("commands through the device code flow", () => {
  it("a signed-in user's token lists risky users and reads detections", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
    });
    await instance.set({ enc_key: undefined });
    await instance.run("azure-risky-users-auth-start");
    const code = harness.emulator.lastDeviceCode()!;
    expect(code.scope).toContain("IdentityRiskyUser.Read.All");
    harness.emulator.approveDeviceCode(code.userCode, "adelev@contoso.onmicrosoft.com");
    await instance.run("azure-risky-users-auth-complete");
    const users = await instance.run("azure-risky-users-list");
    expect(users.outputs).toHaveLength(3);
    const detections = await instance.run("azure-risky-users-risk-detections-list", {
      detected_date_time_after: "2024-06-01T00:00:00Z",
    });
    expect(detections.outputs).toHaveLength(3);
    const one = await instance.run("azure-risky-users-risk-detection-get", { id: DETECTION });
    expect(one.outputs).toMatchObject({ id: DETECTION });
  });
});

describe("XSOAR's arguments", () => {
  it("azure-risky-user-get reads one risky user", async () => {
    const result = await harness.run("azure-risky-user-get", { id: MEGAN });
    // learn.microsoft.com/graph/api/riskyuser-get: GET /identityProtection/riskyUsers/{id}.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/identityProtection/riskyUsers/${MEGAN}`,
    });
    expect(result.outputs).toMatchObject({ id: MEGAN, riskLevel: "high", riskState: "atRisk" });
  });

  it("azure-risky-users-list: order_by, updated_before, page_size, next_token; page is refused as in XSOAR", async () => {
    const first = await harness.run("azure-risky-users-list", {
      page_size: "1",
      order_by: "riskLastUpdatedDateTime asc",
      updated_before: "2030-01-01T00:00:00Z",
    });
    // learn.microsoft.com/graph/api/riskyuser-list: $top, $orderby and $filter; paging by @odata.nextLink.
    expect(harness.lastCall().query).toMatchObject({
      $top: "1",
      $orderby: "riskLastUpdatedDateTime asc",
      $filter: "riskLastUpdatedDateTime lt 2030-01-01T00:00:00Z",
    });
    const nextLink = (first.raw as { "@odata.nextLink": string })["@odata.nextLink"];
    expect(nextLink).toMatch(/(\$|%24)skiptoken=/);
    const second = await harness.run("azure-risky-users-list", { next_token: nextLink });
    const firstId = (first.outputs as Array<{ id: string }>)[0]!.id;
    expect((second.outputs as Array<{ id: string }>).map((user) => user.id)).not.toContain(firstId);
    expect(second.outputs).toHaveLength(1);
    await expect(harness.run("azure-risky-users-list", { page: "2" })).rejects.toThrow(
      "page is no longer supported",
    );
  });

  it("azure-risky-users-risk-detections-list: risk_level, the time window, order_by and page", async () => {
    const all = await harness.run("azure-risky-users-risk-detections-list", {
      order_by: "detectedDateTime asc",
      detected_date_time_before: "2030-01-01T00:00:00Z",
    });
    expect(harness.lastCall().query).toMatchObject({
      $orderby: "detectedDateTime asc",
      $filter: "detectedDateTime lt 2030-01-01T00:00:00Z",
    });
    const ids = (all.outputs as Array<{ id: string }>).map((detection) => detection.id);
    const second = await harness.run("azure-risky-users-risk-detections-list", {
      order_by: "detectedDateTime asc",
      limit: "1",
      page: "2",
    });
    expect((second.outputs as Array<{ id: string }>).map((detection) => detection.id)).toEqual([ids[1]]);
    const high = await harness.run("azure-risky-users-risk-detections-list", { risk_level: "high" });
    expect(harness.lastCall().query["$filter"]).toBe("riskLevel eq 'high'");
    expect((high.outputs as Array<{ riskLevel: string }>).every((entry) => entry.riskLevel === "high")).toBe(
      true,
    );
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads risky users at the emulator and names what it reached", async () => {
    const result = await harness.run("azure-risky-users-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain(
      "- Microsoft Graph: GET graph.microsoft.com/v1.0/identityProtection/riskyUsers → 200",
    );
  });

  it("-auth-test with an app without IdentityRiskyUser.Read.All fails naming it", async () => {
    await expect(harness.run("azure-risky-users-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission IdentityRiskyUser\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("azure-risky-users-risk-detections-list", {}, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "azure-risky-users-risk-detections-list needs: application permission IdentityRiskEvent.Read.All",
    );
  });
});
