import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const FEED = `/api/v1.0/${DEMO_TENANT_ID}/activity/feed/subscriptions`;
// No client credentials in this row: the commands run with a signed-in administrator's delegated token.
const ADMIN = { scp: "ActivityFeed.Read ActivityFeed.ReadDlp" };

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "office-365-management": ["https://manage.office.com"] },
  });
  const { emulator } = harness;
  const feed = { resource: "office-365-management", scopes: ["ActivityFeed.Read"] };
  emulator.addRoute("GET", "/api/v1.0/:tenant/activity/feed/subscriptions/list", feed, (ctx) =>
    ctx.json(200, [
      { contentType: "Audit.AzureActiveDirectory", status: "enabled", webhook: null },
      { contentType: "Audit.Exchange", status: "disabled", webhook: null },
    ]),
  );
  emulator.addRoute("POST", "/api/v1.0/:tenant/activity/feed/subscriptions/:action", feed, (ctx) =>
    ctx.json(200, {
      contentType: ctx.query["contentType"],
      status: ctx.params["action"] === "start" ? "enabled" : "disabled",
    }),
  );
  emulator.addRoute("GET", "/api/v1.0/:tenant/activity/feed/subscriptions/content", feed, (ctx) =>
    ctx.json(200, [
      {
        contentType: "Audit.AzureActiveDirectory",
        contentId: "20240501100000.x$y",
        contentUri: `https://manage.office.com/api/v1.0/${DEMO_TENANT_ID}/activity/feed/audit/20240501100000.x$y`,
        contentCreated: "2024-05-01T10:00:00.000Z",
        contentExpiration: "2024-05-08T10:00:00.000Z",
      },
    ]),
  );
  emulator.addRoute("GET", "/api/v1.0/:tenant/activity/feed/audit/:contentId", feed, (ctx) =>
    ctx.json(200, [
      {
        CreationTime: "2024-05-01T09:58:00",
        Id: "4a1e0b7c-1d2e-4f3a-9b8c-7d6e5f4a3b2c",
        Operation: "UserLoggedIn",
        OrganizationId: ctx.params["tenant"],
        RecordType: 15,
        ResultStatus: "Success",
        UserId: "adelev@contoso.com",
        Workload: "AzureActiveDirectory",
      },
    ]),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft Management Activity API manifest", () => {
  it("asks the Office 365 Management API's ActivityFeed scopes for the authorization code flow", () => {
    const params = resolveParameterValues(integration.parameters, {}, {});
    expect(
      scopesFor(integration.manifest, "authorization-code", resolveEndpoints(integration.manifest, params)),
    ).toEqual([
      "https://manage.office.com/ActivityFeed.Read",
      "https://manage.office.com/ActivityFeed.ReadDlp",
      "offline_access",
    ]);
  });
});

describe("subscriptions and content", () => {
  it("ms-management-activity-list-subscriptions", async () => {
    const result = await harness.runWithToken("ms-management-activity-list-subscriptions", {}, ADMIN);
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "manage.office.com",
      path: `${FEED}/list`,
      query: { PublisherIdentifier: DEMO_TENANT_ID },
    });
    expect(result.outputs).toEqual([
      { ContentType: "Audit.AzureActiveDirectory", Enabled: true },
      { ContentType: "Audit.Exchange", Enabled: false },
    ]);
  });

  it("ms-management-activity-start-subscription and -stop-subscription", async () => {
    const started = await harness.runWithToken(
      "ms-management-activity-start-subscription",
      { content_type: "Audit.General" },
      ADMIN,
    );
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${FEED}/start`,
      query: { contentType: "Audit.General" },
    });
    expect(started.readable).toBe("Successfully started subscription to content type: Audit.General");
    await harness.runWithToken(
      "ms-management-activity-stop-subscription",
      { content_type: "Audit.General" },
      ADMIN,
    );
    expect(harness.lastCall().path).toBe(`${FEED}/stop`);
  });

  it("ms-management-activity-list-content asks for a window of at most 24 hours", async () => {
    const result = await harness.runWithToken(
      "ms-management-activity-list-content",
      {
        content_type: "Audit.AzureActiveDirectory",
        start_time: "2024-05-01T00:00:00Z",
        end_time: "2024-05-01T12:00:00Z",
      },
      ADMIN,
    );
    expect(harness.calls[0]!.query).toEqual({
      contentType: "Audit.AzureActiveDirectory",
      startTime: "2024-05-01T00:00:00",
      endTime: "2024-05-01T12:00:00",
      PublisherIdentifier: DEMO_TENANT_ID,
    });
    // Then the blob at its contentUri (the tenant from the token's tid).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/api/v1.0/${DEMO_TENANT_ID}/activity/feed/audit/20240501100000.x$y`,
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: "4a1e0b7c-1d2e-4f3a-9b8c-7d6e5f4a3b2c",
        OrganizationID: DEMO_TENANT_ID,
        ResultsStatus: "Success",
      }),
    ]);
    await expect(
      harness.runWithToken(
        "ms-management-activity-list-content",
        {
          content_type: "Audit.General",
          start_time: "2024-05-01T00:00:00Z",
          end_time: "2024-05-03T00:00:00Z",
        },
        ADMIN,
      ),
    ).rejects.toThrow("at most 24 hours");
  });
});

describe("auth errors", () => {
  it("a signed-in user without ActivityFeed.Read is denied", async () => {
    await expect(
      harness.runWithToken("ms-management-activity-list-subscriptions", {}, { scp: "User.Read" }),
    ).rejects.toThrow("AuthorizationFailed");
  });
});
