import { DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Office 365 Management Activity double (no routes added here),
// through the integration's own flows: managed identity, authorization code and the Cortex XSOAR application
// (it has no client credentials). No instance names a tenant: the feed's tenant is the access token's tid.
// Paths, parameters and error codes: learn.microsoft.com/office/office-365-management-api/
// office-365-management-activity-api-reference.

// The emulator's demo broker registration (application permissions) and its key (packages/entra-emulator/src/seed.ts).
const DEMO_BROKER_APP_REGISTRATION_ID = "3b0bf3d0-6b3c-4b0e-9a5f-0c1d2e3f4a5b";
const DEMO_BROKER_KEY = "bXNpbnQtZGVtby1icm9rZXIta2V5LTMyLWJ5dGVzISE=";

const FEED = `/api/v1.0/${DEMO_TENANT_ID}/activity/feed/subscriptions`;
const MANAGED = { use_managed_identities: true };
const HOUR = 3600_000;
/** The API's time format: ISO 8601 in UTC without milliseconds. */
const apiTime = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, "");

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const served = () => harness.emulator.requests.filter((entry) => entry.service === "office-365-management");

describe("commands through a managed identity", () => {
  it("ms-management-activity-list-subscriptions (List current subscriptions)", async () => {
    const result = await harness.run("ms-management-activity-list-subscriptions", {}, MANAGED);
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "manage.office.com",
      path: `${FEED}/list`,
      query: { PublisherIdentifier: DEMO_TENANT_ID },
    });
    expect(result.outputs).toEqual([
      { ContentType: "Audit.AzureActiveDirectory", Enabled: true },
      { ContentType: "Audit.Exchange", Enabled: true },
      { ContentType: "Audit.SharePoint", Enabled: false },
    ]);
    expect(served().map((entry) => entry.status)).toEqual([200]);
  });

  it("start-subscription then stop-subscription; the list shows each change (Start a subscription, Stop a subscription)", async () => {
    const started = await harness.run(
      "ms-management-activity-start-subscription",
      { content_type: "Audit.General" },
      MANAGED,
    );
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${FEED}/start`,
      query: { contentType: "Audit.General", PublisherIdentifier: DEMO_TENANT_ID },
    });
    expect(started.readable).toBe("Successfully started subscription to content type: Audit.General");
    const listed = await harness.run("ms-management-activity-list-subscriptions", {}, MANAGED);
    expect(listed.outputs).toContainEqual({ ContentType: "Audit.General", Enabled: true });
    // Starting it again is refused with the service's code.
    await expect(
      harness.run("ms-management-activity-start-subscription", { content_type: "Audit.General" }, MANAGED),
    ).rejects.toThrow("AF20024");

    const stopped = await harness.run(
      "ms-management-activity-stop-subscription",
      { content_type: "Audit.General" },
      MANAGED,
    );
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: `${FEED}/stop` });
    expect(stopped.readable).toBe("Successfully stopped subscription to content type: Audit.General");
    const after = await harness.run("ms-management-activity-list-subscriptions", {}, MANAGED);
    expect(after.outputs).toContainEqual({ ContentType: "Audit.General", Enabled: false });
  });

  it("ms-management-activity-list-content lists the blobs of the window, downloads each and returns the audit records (List available content, Retrieving content)", async () => {
    const end = Date.now();
    const result = await harness.run(
      "ms-management-activity-list-content",
      {
        content_type: "Audit.AzureActiveDirectory",
        start_time: apiTime(end - 12 * HOUR),
        end_time: apiTime(end),
      },
      MANAGED,
    );
    const feed = harness.calls.filter((call) => call.host === "manage.office.com");
    expect(feed[0]).toMatchObject({
      method: "GET",
      path: `${FEED}/content`,
      query: {
        contentType: "Audit.AzureActiveDirectory",
        startTime: apiTime(end - 12 * HOUR),
        endTime: apiTime(end),
        PublisherIdentifier: DEMO_TENANT_ID,
      },
    });
    // Each blob of the list at its contentUri, on the same host, with the instance's token.
    const downloads = feed.slice(1);
    expect(downloads).toHaveLength(2);
    for (const download of downloads) {
      expect(download.method).toBe("GET");
      expect(download.path).toMatch(new RegExp(`^/api/v1\\.0/${DEMO_TENANT_ID}/activity/feed/audit/\\S+$`));
      expect(download.query["PublisherIdentifier"]).toBe(DEMO_TENANT_ID);
    }
    expect(served().map((entry) => entry.status)).toEqual([200, 200, 200]);
    expect(result.outputsPrefix).toBe("MicrosoftManagement.ContentRecord");
    expect(result.outputsKeyField).toBe("ID");
    const records = result.outputs as Array<Record<string, unknown>>;
    expect(records).toHaveLength(4);
    // XSOAR's context names: ID, OrganizationID, ObjectID, UserID, ResultsStatus.
    expect(records[0]).toMatchObject({
      ID: expect.stringMatching(/-6c2e-4d1a-8f3b-5e7a9c0d1b2f$/),
      OrganizationID: DEMO_TENANT_ID,
      Operation: "UserLoggedIn",
      RecordType: 15,
      Workload: "AzureActiveDirectory",
      UserID: "adelev@contoso.com",
      ObjectID: "00000003-0000-0ff1-ce00-000000000000",
      ResultsStatus: "Success",
      ClientIP: "198.51.100.20",
    });
    expect(records[0]).not.toHaveProperty("Id");
    expect(result.readable).toContain("### Content for content type Audit.AzureActiveDirectory");
    expect(result.readable).toContain("|AzureActiveDirectory|UserLoggedIn|adelev@contoso.com|198.51.100.20|");
  });

  it("ms-management-activity-list-content keeps the records the record type, workload and operation filters name", async () => {
    const byName = await harness.run(
      "ms-management-activity-list-content",
      {
        content_type: "Audit.Exchange",
        record_types_filter: "ExchangeAdmin",
        operations_filter: "new-inboxrule",
      },
      MANAGED,
    );
    expect(byName.outputs).toHaveLength(4);
    expect(
      (byName.outputs as Array<{ Operation: string }>).every((r) => r.Operation === "New-InboxRule"),
    ).toBe(true);
    const none = await harness.run(
      "ms-management-activity-list-content",
      { content_type: "Audit.Exchange", workloads_filter: "SharePoint" },
      MANAGED,
    );
    expect(none.outputs).toEqual([]);
    expect(none.readable).toContain("**No entries.**");
    await expect(
      harness.run(
        "ms-management-activity-list-content",
        { content_type: "Audit.Exchange", record_types_filter: "NoSuchType" },
        MANAGED,
      ),
    ).rejects.toThrow('unknown record type "NoSuchType"');
  });

  it("ms-management-activity-list-content defaults to the last 24 hours; an unsubscribed type answers AF20022", async () => {
    const result = await harness.run(
      "ms-management-activity-list-content",
      { content_type: "Audit.Exchange" },
      MANAGED,
    );
    const listed = harness.calls.find((call) => call.path === `${FEED}/content`)!;
    const { startTime, endTime } = listed.query;
    expect(Date.parse(`${endTime}Z`) - Date.parse(`${startTime}Z`)).toBe(24 * HOUR);
    expect(result.outputs).toHaveLength(4);
    await expect(
      harness.run("ms-management-activity-list-content", { content_type: "Audit.SharePoint" }, MANAGED),
    ).rejects.toThrow("AF20022");
  });
});

describe("authorization code", () => {
  it("the signed-in administrator's delegated token lists subscriptions and content", async () => {
    const instance = await harness.instance({
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("ms-management-activity-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    expect(new URL(loginUrl).searchParams.get("scope")).toContain(
      "https://manage.office.com/ActivityFeed.Read",
    );
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    const listed = await instance.run("ms-management-activity-list-subscriptions");
    expect(harness.emulator.tokenRequests().at(-1)?.grantType).toBe("authorization_code");
    expect(listed.outputs).toContainEqual({ ContentType: "Audit.AzureActiveDirectory", Enabled: true });
    const content = await instance.run("ms-management-activity-list-content", {
      content_type: "Audit.AzureActiveDirectory",
    });
    expect(content.outputs).toHaveLength(4);
    const test = await instance.run("ms-management-activity-test");
    expect(test.readable).toContain("authenticated with Authorization Code and reached:");
  });
});

describe("the Cortex XSOAR application", () => {
  // XSOAR's app name at the broker is ms-management-api (MicrosoftManagementActivity.py APP_NAME); the emulator's
  // broker double answers app_mismatch naming the app the request sent when the registration belongs to another.
  const params = () => ({
    self_deployed: false,
    auth_id: `${DEMO_BROKER_APP_REGISTRATION_ID}@${harness.emulator.url}/obtain-token`,
    tenant_id: DEMO_TENANT_ID,
    enc_key: DEMO_BROKER_KEY,
  });

  it("asks the broker for app ms-management-api, then reads the feed of the token's tenant", async () => {
    // The seeded registration belongs to the app ms-management-api: the broker double refuses any other name
    // (403 app_mismatch), so the answer shows the name the request carried.
    const registration = harness.emulator.seed.brokerRegistrations!.find(
      (entry) => entry.id === DEMO_BROKER_APP_REGISTRATION_ID,
    )!;
    const appName = registration.appName;
    registration.appName = "ms-management-api";
    try {
      const listed = await harness.run("ms-management-activity-list-subscriptions", {}, params());
      expect(harness.lastCall()).toMatchObject({ method: "GET", path: `${FEED}/list` });
      expect(listed.outputs).toContainEqual({ ContentType: "Audit.AzureActiveDirectory", Enabled: true });
    } finally {
      registration.appName = appName;
    }
  });
});

describe("-test and -auth-test", () => {
  it("ms-management-activity-test lists the subscriptions and names what it reached", async () => {
    const result = await harness.run("ms-management-activity-test", {}, MANAGED);
    expect(served().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      `GET ${FEED}/list 200`,
    ]);
    expect(result.readable).toContain(
      "✅ Success! Microsoft Management Activity API (O365 Azure Events) authenticated with Azure Managed Identities and reached:",
    );
    expect(result.readable).toMatch(
      /- Office 365 Management Activity API: GET \S*manage\.office\.com\/api\/v1\.0\/\S+\/subscriptions\/list\S* → 200/,
    );
  });
});

describe("a managed identity without ActivityFeed.Read", () => {
  // The user-assigned identity, which no other test here uses: MSAL keeps managed-identity tokens in a
  // process-wide cache by identity and resource, so the system-assigned one would come back with the token the
  // other emulator issued.
  let limited: Harness;
  let params: Record<string, string | boolean>;
  beforeAll(async () => {
    limited = await startHarness(integration);
    const identity = limited.emulator.seed.managedIdentities!.find((candidate) => !candidate.systemAssigned)!;
    identity.grants = { ...identity.grants, "office-365-management": [] };
    params = { ...MANAGED, managed_identities_client_id: identity.clientId! };
  });
  afterAll(() => limited.close());

  it("fails -auth-test and -test naming the role and the API", async () => {
    for (const command of ["ms-management-activity-auth-test", "ms-management-activity-test"]) {
      const run = limited.run(command, {}, params);
      await expect(run, command).rejects.toThrow("lacks the application permission ActivityFeed.Read");
      await expect(run, command).rejects.toThrow("Office 365 Management APIs → Application permissions");
    }
  });

  it("a command's 403 names its permission", async () => {
    await expect(
      limited.run("ms-management-activity-list-content", { content_type: "Audit.Exchange" }, params),
    ).rejects.toThrow(
      "ms-management-activity-list-content needs: application permission ActivityFeed.Read (or ActivityFeed.ReadDlp)",
    );
  });
});
