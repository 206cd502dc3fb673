import { DEMO_TENANT_ID, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Office 365 Management Activity double (no routes added here),
// through the integration's own flows: managed identity and authorization code (it has no client credentials).
// Paths, parameters and error codes: learn.microsoft.com/office/office-365-management-api/
// office-365-management-activity-api-reference.

const FEED = `/api/v1.0/${DEMO_TENANT_ID}/activity/feed/subscriptions`;
const MANAGED = { use_managed_identities: true };
const HOUR = 3600_000;
/** The API's time format: ISO 8601 in UTC without milliseconds. */
const apiTime = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, "");

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { audited_tenant_id: DEMO_TENANT_ID } });
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

  it("ms-management-activity-list-content lists the blobs of the last day, each downloadable at its contentUri (List available content)", async () => {
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
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${FEED}/content`,
      query: {
        contentType: "Audit.AzureActiveDirectory",
        startTime: apiTime(end - 12 * HOUR),
        endTime: apiTime(end),
        PublisherIdentifier: DEMO_TENANT_ID,
      },
    });
    const blobs = result.outputs as Array<{ contentId: string; contentUri: string }>;
    expect(blobs).toHaveLength(2);
    expect(result.readable).toContain(`|${blobs[0]!.contentId}|`);
    const uri = new URL(blobs[0]!.contentUri);
    expect(uri.host).toBe("manage.office.com");
    expect(uri.pathname).toBe(`/api/v1.0/${DEMO_TENANT_ID}/activity/feed/audit/${blobs[0]!.contentId}`);

    // The blob itself, from the same host, with the instance's token (Retrieving content).
    const token = harness.requests.filter((call) => call.host === "manage.office.com").at(-1)!.headers[
      "authorization"
    ]!;
    const download = await fetch(new URL(`${uri.pathname}`, harness.emulator.url), {
      headers: { authorization: token, "x-forwarded-host": uri.host },
    });
    expect(download.status).toBe(200);
    const records = (await download.json()) as Array<Record<string, unknown>>;
    expect(records[0]).toMatchObject({
      Operation: "UserLoggedIn",
      Workload: "AzureActiveDirectory",
      UserId: "adelev@contoso.com",
    });
  });

  it("ms-management-activity-list-content defaults to the last 24 hours; an unsubscribed type answers AF20022", async () => {
    const result = await harness.run(
      "ms-management-activity-list-content",
      { content_type: "Audit.Exchange" },
      MANAGED,
    );
    const { startTime, endTime } = harness.lastCall().query;
    expect(Date.parse(`${endTime}Z`) - Date.parse(`${startTime}Z`)).toBe(24 * HOUR);
    expect(result.outputs).toHaveLength(2);
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
    expect(content.outputs).toHaveLength(2);
    const test = await instance.run("ms-management-activity-test");
    expect(test.readable).toContain("authenticated with Authorization Code and reached:");
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
    limited = await startHarness(integration, { params: { audited_tenant_id: DEMO_TENANT_ID } });
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
