import { DEMO_USER_UPN, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Microsoft 365 Defender double (no routes added here), through the
// instance's own flows: client credentials, device code and managed identity.

// The emulator's demo app without any grant (packages/entra-emulator/src/seed.ts), for "missing role" checks.
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

// The emulator's public client app, for the device code flow (packages/entra-emulator/src/seed.ts).
const DEMO_PUBLIC_CLIENT_ID = "244b387b-6b2e-4efa-b5c0-03e9e89393eb";
// Cortex XSOAR's public client for Microsoft 365 Defender (Microsoft365Defender.yml), seeded in the emulator.
const XSOAR_CLIENT_ID = "9093c354-630a-47f1-b087-6768eb9427e6";
// The emulator's demo user's password (packages/entra-emulator/src/seed.ts).
const DEMO_USER_PASSWORD = "demo-password-not-for-production";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

/** Enters the user code at the emulator's device login page and signs in as the demo user, as a browser would. */
async function completeDeviceLogin(verificationUri: string, userCode: string): Promise<void> {
  // The page as the emulator serves it (the URI may name the Microsoft host it stands in for).
  const origin = harness.emulator.url;
  let page = await (
    await fetch(new URL(new URL(verificationUri).pathname, origin), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ otc: userCode }),
    })
  ).text();
  for (let step = 0; step < 4 && /<form method="post"/.test(page); step++) {
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const form = new URLSearchParams({ flow: /name="flow" value="([^"]+)"/.exec(page)![1]! });
    if (page.includes('name="password"')) {
      form.set("username", DEMO_USER_UPN);
      form.set("password", DEMO_USER_PASSWORD);
      form.set("action", "signin");
    } else form.set("action", /value="accept"/.test(page) ? "accept" : "continue");
    page = await (
      await fetch(new URL(action, origin), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      })
    ).text();
  }
}

const served = () => harness.emulator.requests.filter((entry) => entry.service === "microsoft-365-defender");

describe("commands through client credentials", () => {
  // learn.microsoft.com/defender-xdr/api-list-incidents: the most recent first; OData: $filter (lastUpdateTime,
  // createdTime, status, assignedTo), $top (at most 100) and $skip, nothing else.
  it("microsoft-365-defender-incidents-list pages, most recent first, with only the documented query options", async () => {
    const all = await harness.run("microsoft-365-defender-incidents-list");
    expect(harness.lastCall().query).toEqual({ $top: "100" });
    expect(all.outputs).toHaveLength(3);
    const result = await harness.run("microsoft-365-defender-incidents-list", { limit: "2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "api.security.microsoft.com",
      path: "/api/incidents",
      query: { $top: "2" },
    });
    expect(harness.lastCall().query).not.toHaveProperty("$orderby");
    expect((result.outputs as Array<{ incidentId: number }>).map((incident) => incident.incidentId)).toEqual([
      924518, 924519,
    ]);
    expect(result.readable).toContain(
      "|924518|Execution incident involving one device|Active|High||Unknown|2026-12-06T21:14:05.4133333Z|1|",
    );
    const skipped = await harness.run("microsoft-365-defender-incidents-list", { offset: "2" });
    expect(harness.lastCall().query["$skip"]).toBe("2");
    expect((skipped.outputs as Array<{ incidentId: number }>).map((incident) => incident.incidentId)).toEqual(
      [924520],
    );
  });

  it("microsoft-365-defender-incidents-list by status and owner", async () => {
    const result = await harness.run("microsoft-365-defender-incidents-list", {
      status: "InProgress",
      assigned_to: "secops@contoso.com",
    });
    expect(harness.lastCall().query["$filter"]).toBe(
      "status eq 'InProgress' and assignedTo eq 'secops@contoso.com'",
    );
    expect(result.outputs).toEqual([expect.objectContaining({ incidentId: 924519 })]);
  });

  it("microsoft-365-defender-incidents-list odata: XSOAR's JSON of OData options, its $filter joined to status", async () => {
    const result = await harness.run("microsoft-365-defender-incidents-list", {
      status: "Resolved",
      odata: '{"$filter":"lastUpdateTime gt 2026-11-01T00:00:00Z"}',
    });
    expect(harness.lastCall().query["$filter"]).toBe(
      "status eq 'Resolved' and lastUpdateTime gt 2026-11-01T00:00:00Z",
    );
    expect(result.outputs).toEqual([expect.objectContaining({ incidentId: 924520 })]);
    await expect(
      harness.run("microsoft-365-defender-incidents-list", { odata: "$filter=status" }),
    ).rejects.toThrow("odata must be a JSON object");
  });

  it("microsoft-365-defender-incident-get (learn.microsoft.com/defender-xdr/api-get-incident)", async () => {
    const result = await harness.run("microsoft-365-defender-incident-get", { id: "924519" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/incidents/924519" });
    expect(result.readable).toContain("### Incident No. 924519:");
    expect(result.outputs).toMatchObject({ incidentName: "Email reported by user as malware or phish" });
    await expect(harness.run("microsoft-365-defender-incident-get", { id: "1" })).rejects.toThrow(
      "Incident 1 was not found.",
    );
  });

  it("microsoft-365-defender-incident-update PATCHes; a later get shows the change (learn.microsoft.com/defender-xdr/api-update-incidents)", async () => {
    const result = await harness.run("microsoft-365-defender-incident-update", {
      id: "924518",
      status: "Resolved",
      classification: "TruePositive",
      determination: "Malware",
      tags: "ir-42, ps",
      comment: "Contained",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: "/api/incidents/924518",
      body: {
        status: "Resolved",
        classification: "TruePositive",
        determination: "Malware",
        tags: ["ir-42", "ps"],
        comment: "Contained",
      },
    });
    expect(result.readable).toContain(
      "|924518|Execution incident involving one device|Resolved|High||TruePositive|",
    );
    const again = await harness.run("microsoft-365-defender-incident-get", { id: "924518" });
    expect(again.outputs).toMatchObject({
      status: "Resolved",
      tags: ["ir-42", "ps"],
      comments: [expect.objectContaining({ comment: "Contained" })],
    });
  });

  it("microsoft-365-defender-advanced-hunting (learn.microsoft.com/defender-xdr/api-advanced-hunting)", async () => {
    const result = await harness.run("microsoft-365-defender-advanced-hunting", {
      query: "EmailAttachmentInfo | take 1",
    });
    // XSOAR's limit (default 50) is the query's last stage.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/api/advancedhunting/run",
      body: { Query: "EmailAttachmentInfo | take 1 | limit 50" },
    });
    expect(result.outputs).toMatchObject({ query: "EmailAttachmentInfo | take 1" });
    expect(result.readable).toContain("### Hunt results for EmailAttachmentInfo | take 1 query:");
    expect(result.readable).toContain(
      "|billing@fabrikam-invoices.com|meganb@contoso.com|invoice_8812.doc|Malware|",
    );
    await expect(
      harness.run("microsoft-365-defender-advanced-hunting", { query: "NoSuchTable | take 1" }),
    ).rejects.toThrow("Failed to resolve table or column expression named 'NoSuchTable'");
    const unlimited = await harness.run("microsoft-365-defender-advanced-hunting", {
      query: "EmailAttachmentInfo",
      limit: "-1",
    });
    expect(harness.lastCall().body).toEqual({ Query: "EmailAttachmentInfo" });
    expect((unlimited.outputs as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });
});

describe("XSOAR's mirroring commands, run by hand", () => {
  it("get-modified-remote-data lists the incidents updated since lastUpdate ($filter on lastUpdateTime)", async () => {
    const result = await harness.run("get-modified-remote-data", { lastUpdate: "2026-12-01T00:00:00Z" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/api/incidents",
      query: { $filter: "lastUpdateTime ge 2026-12-01T00:00:00.000Z", $top: "100" },
    });
    expect(result.raw).toEqual({ modifiedIncidentIds: ["924518", "924519"] });
    expect(result.readable).toContain("|924519|");
  });

  it("get-remote-data returns the incident when it changed after lastUpdate, nothing otherwise", async () => {
    const changed = await harness.run("get-remote-data", { id: "924519", lastUpdate: "1764892800" });
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: "/api/incidents/924519" });
    expect(changed.readable).toContain("### Incident 924519 (updated 2026-12-05T10:02:14.0000000Z):");
    expect(changed.raw).toMatchObject({ mirroredObject: { incidentId: 924519, status: "InProgress" } });
    const same = await harness.run("get-remote-data", { id: "924520", lastUpdate: "2026-12-01T00:00:00Z" });
    expect(same.readable).toBe(
      "Incident 924520 has not changed since 2026-12-01T00:00:00.000Z (last updated 2026-11-29T08:00:00.0000000Z).",
    );
  });

  it("get-mapping-fields lists the fields that mirror out, without a request", async () => {
    const result = await harness.run("get-mapping-fields");
    expect(harness.calls).toHaveLength(0);
    expect(result.readable).toContain("|status|Active, InProgress, Resolved or Redirected.|");
    expect(result.readable).toContain("|assignedTo|");
  });

  it("update-remote-system PATCHes the changed mirrored fields; a later get shows them", async () => {
    const result = await harness.run("update-remote-system", {
      remoteId: "924520",
      delta: '{"classification":"TruePositive","tags":"reopened, ir-7","closeReason":"ignored"}',
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: "/api/incidents/924520",
      body: { classification: "TruePositive", tags: ["reopened", "ir-7"] },
    });
    expect(result.readable).toBe("Updated incident 924520 at Microsoft 365 Defender: classification, tags.");
    const again = await harness.run("microsoft-365-defender-incident-get", { id: "924520" });
    expect(again.outputs).toMatchObject({ classification: "TruePositive", tags: ["reopened", "ir-7"] });
  });
});

describe("other flows", () => {
  it("a regional Endpoint URI is served with the same audience", async () => {
    const result = await harness.run(
      "microsoft-365-defender-incident-get",
      { id: "924520" },
      { base_url: "https://api-eu.security.microsoft.com" },
    );
    expect(harness.lastCall().host).toBe("api-eu.security.microsoft.com");
    expect(served().map((entry) => entry.status)).toEqual([200]);
    expect(result.outputs).toMatchObject({ status: "Resolved" });
  });

  it("managed identity lists incidents", async () => {
    const result = await harness.run(
      "microsoft-365-defender-incidents-list",
      {},
      { use_managed_identities: true },
    );
    expect(result.outputs).toHaveLength(3);
    expect(served()).toHaveLength(1);
  });

  it("no App/Client ID: XSOAR's built-in public client through device code (auth-start, auth-complete, auth-test)", async () => {
    const instance = await harness.instance({
      self_deployed: undefined,
      auth_id: undefined,
      tenant_id: undefined,
      enc_key: undefined,
    });
    const started = await instance.run("microsoft-365-defender-auth-start");
    const deviceCodeRequest = harness.emulator.requests.filter((entry) => entry.path.endsWith("/devicecode"));
    expect(deviceCodeRequest.at(-1)).toMatchObject({ clientId: XSOAR_CLIENT_ID });
    expect(harness.emulator.lastDeviceCode()).toMatchObject({
      clientId: XSOAR_CLIENT_ID,
      tenant: "organizations",
    });
    const { VerificationUri, UserCode } = started.outputs as { VerificationUri: string; UserCode: string };
    await completeDeviceLogin(VerificationUri, UserCode);
    await instance.run("microsoft-365-defender-auth-complete");
    expect(harness.emulator.tokenRequests().at(-1)).toMatchObject({
      grantType: "urn:ietf:params:oauth:grant-type:device_code",
      clientId: XSOAR_CLIENT_ID,
    });
    const test = await instance.run("microsoft-365-defender-auth-test");
    expect(test.readable).toContain("Incident.ReadWrite");
    const result = await instance.run("microsoft-365-defender-incident-get", { id: "924518" });
    expect(result.outputs).toMatchObject({ incidentId: 924518 });
    expect(served().at(-1)).toMatchObject({ path: "/api/incidents/924518", status: 200 });
  });

  it("device code: the signed-in user's delegated token lists incidents", async () => {
    const instance = await harness.instance({
      auth_type: "Device Code",
      auth_id: DEMO_PUBLIC_CLIENT_ID,
      enc_key: undefined,
    });
    const started = await instance.run("microsoft-365-defender-auth-start");
    const { VerificationUri, UserCode } = started.outputs as { VerificationUri: string; UserCode: string };
    await completeDeviceLogin(VerificationUri, UserCode);
    await instance.run("microsoft-365-defender-auth-complete");
    const result = await instance.run("microsoft-365-defender-incidents-list", { status: "InProgress" });
    expect(harness.emulator.tokenRequests().at(-1)?.grantType).toBe(
      "urn:ietf:params:oauth:grant-type:device_code",
    );
    expect(result.outputs).toEqual([expect.objectContaining({ incidentId: 924519 })]);
  });
});

describe("-test and -auth-test", () => {
  it("microsoft-365-defender-test reads one incident and names what it reached", async () => {
    const result = await harness.run("microsoft-365-defender-test");
    expect(served().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      "GET /api/incidents 200",
    ]);
    expect(result.readable).toContain(
      "✅ Success! Microsoft 365 Defender authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toMatch(
      /- Microsoft 365 Defender: GET \S*api\.security\.microsoft\.com\/api\/incidents\S* → 200/,
    );
  });

  it("an app without Incident.Read.All fails -auth-test and -test, naming the role and the API", async () => {
    for (const command of ["microsoft-365-defender-auth-test", "microsoft-365-defender-test"]) {
      const run = harness.run(command, {}, NO_GRANT);
      await expect(run, command).rejects.toThrow("lacks the application permission Incident.Read.All");
      await expect(run, command).rejects.toThrow("Microsoft Threat Protection → Application permissions");
    }
    expect(served()).toHaveLength(0);
  });
});

describe("a 403 names the command's permission", () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness(integration, {
      grants: { "microsoft-365-defender": ["Incident.Read.All"] },
    });
  });
  afterAll(() => limited.close());

  it("the update's 403 names Incident.ReadWrite.All; -test warns about it and about hunting", async () => {
    const test = await limited.run("microsoft-365-defender-test");
    expect(test.readable).toContain("- microsoft-365-defender-incident-update: Incident.ReadWrite.All");
    expect(test.readable).toContain("- microsoft-365-defender-advanced-hunting: AdvancedHunting.Read.All");
    await expect(
      limited.run("microsoft-365-defender-incident-update", { id: "924518", status: "Resolved" }),
    ).rejects.toThrow(
      "microsoft-365-defender-incident-update needs: application permission Incident.ReadWrite.All",
    );
  });
});
