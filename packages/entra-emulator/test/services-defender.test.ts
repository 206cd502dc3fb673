import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { clientCredentialsToken } from "./helpers.js";

// The built-in doubles of Defender for Endpoint, Microsoft 365 Defender, Defender for Cloud Apps and the Office 365
// Management Activity API: tokens from the real client-credentials endpoint, requests addressed to the Microsoft
// host names (x-forwarded-host, as the test harness sends them).

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

const token = (scope: string, app: Record<string, string> = {}) =>
  clientCredentialsToken(emulator, { scope, ...app });
const MDE = "https://securitycenter.onmicrosoft.com/windowsatpservice/.default";
const NO_GRANT = { client_id: DEMO_NO_GRANT_CLIENT_ID, client_secret: DEMO_NO_GRANT_CLIENT_SECRET };

async function call(
  host: string,
  path: string,
  bearer: string | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      "x-forwarded-host": host,
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe("Defender for Endpoint", () => {
  it("answers on the geo and government hosts, with the service recorded", async () => {
    const bearer = await token(MDE);
    for (const host of ["api.securitycenter.microsoft.com", "api-eu.securitycenter.microsoft.com"]) {
      const answer = await call(host, "/api/machines?$filter=riskScore eq 'High'", bearer);
      expect(answer.status, host).toBe(200);
      expect(
        (answer.body as { value: Array<{ computerDnsName: string }> }).value.map((m) => m.computerDnsName),
      ).toEqual(["desktop-adele.contoso.com"]);
    }
    const gov = await token("https://securitycenter.onmicrosoft.us/windowsatpservice/.default");
    expect((await call("api-gov.securitycenter.microsoft.us", "/api/alerts?$top=1", gov)).status).toBe(200);
    expect(emulator.requests.at(-1)?.service).toBe("defender-for-endpoint");
  });

  it("401 without a token, 403 AuthorizationFailed for an app without the role", async () => {
    const missing = await call("api.securitycenter.microsoft.com", "/api/alerts", undefined);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    const denied = await call("api.securitycenter.microsoft.com", "/api/alerts", await token(MDE, NO_GRANT));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: "AuthorizationFailed" } });
  });

  it("a scan creates a machine action; reading it later shows it done", async () => {
    const bearer = await token(MDE);
    const machine = "c4f3d2b1a09876543210fedcba9876543210abcd";
    const scan = await call(
      "api.securitycenter.microsoft.com",
      `/api/machines/${machine}/runAntiVirusScan`,
      bearer,
      {
        method: "POST",
        body: { Comment: "weekly", ScanType: "Full" },
      },
    );
    expect(scan.status).toBe(201);
    const action = scan.body as { id: string; type: string; status: string; scope: string };
    expect(action).toMatchObject({ type: "RunAntiVirusScan", status: "Pending", scope: "Full" });
    const later = await call("api.securitycenter.microsoft.com", `/api/machineactions/${action.id}`, bearer);
    expect(later.body).toMatchObject({ id: action.id, status: "Succeeded", machineId: machine });
    const listed = await call(
      "api.securitycenter.microsoft.com",
      `/api/machineactions?$filter=machineId eq '${machine}'`,
      bearer,
    );
    expect((listed.body as { value: unknown[] }).value).toHaveLength(1);
  });

  it("indicators: submit, list, delete", async () => {
    const bearer = await token(MDE);
    const created = await call("api.securitycenter.microsoft.com", "/api/indicators", bearer, {
      method: "POST",
      body: {
        indicatorValue: "198.51.100.66",
        indicatorType: "IpAddress",
        action: "Block",
        title: "C2",
        description: "Beacon target",
      },
    });
    expect(created.status).toBe(200);
    const id = (created.body as { id: string }).id;
    const listed = await call(
      "api.securitycenter.microsoft.com",
      "/api/indicators?$filter=indicatorType eq 'IpAddress'",
      bearer,
    );
    expect((listed.body as { value: Array<{ id: string }> }).value.map((entry) => entry.id)).toEqual([id]);
    expect(
      (await call("api.securitycenter.microsoft.com", `/api/indicators/${id}`, bearer, { method: "DELETE" }))
        .status,
    ).toBe(204);
  });

  it("investigations and unknown hunting tables", async () => {
    const bearer = await token(MDE);
    const investigation = await call("api.securitycenter.microsoft.com", "/api/investigations/7845", bearer);
    expect(investigation.body).toMatchObject({
      state: "Running",
      triggeringAlertId: "da637551227677560813_-961444813",
    });
    const hunt = await call("api.securitycenter.microsoft.com", "/api/advancedqueries/run", bearer, {
      method: "POST",
      body: { Query: "Nope | take 1" },
    });
    expect(hunt.status).toBe(400);
    expect(hunt.body).toMatchObject({ error: { code: "BadRequest" } });
  });
});

describe("Defender for Endpoint: documented query options and response roles", () => {
  const MDE_HOST = "api.securitycenter.microsoft.com";

  it("refuses $orderby and $filter on a property the call's page does not list (get-alerts, get-machines)", async () => {
    const bearer = await token(MDE);
    const ordered = await call(MDE_HOST, "/api/alerts?$orderby=alertCreationTime desc", bearer);
    expect(ordered.status).toBe(400);
    expect(ordered.body).toMatchObject({ error: { code: "BadRequest" } });
    expect(JSON.stringify(ordered.body)).toContain("$orderby is not supported");
    const filtered = await call(MDE_HOST, "/api/machines?$filter=osVersion eq '14.4'", bearer);
    expect(filtered.status).toBe(400);
    expect(JSON.stringify(filtered.body)).toContain("$filter is not supported on 'osVersion'");
    expect((await call(MDE_HOST, "/api/alerts?$expand=evidence&$top=1&$skip=1", bearer)).status).toBe(200);
  });

  it("restricts, collects a package whose SAS URI then reads, and 403s an app without Machine.RestrictExecution", async () => {
    const bearer = await token(MDE);
    const machine = "7292a4a1d0a2b8e5f4b8b6c8d1e2f3a4b5c6d7e8";
    const restricted = await call(MDE_HOST, `/api/machines/${machine}/restrictCodeExecution`, bearer, {
      method: "POST",
      body: { Comment: "IR" },
    });
    expect(restricted.body).toMatchObject({ type: "RestrictCodeExecution", status: "Pending" });
    const collected = await call(MDE_HOST, `/api/machines/${machine}/collectInvestigationPackage`, bearer, {
      method: "POST",
      body: { Comment: "IR" },
    });
    const id = (collected.body as { id: string }).id;
    const uri = await call(MDE_HOST, `/api/machineactions/${id}/GetPackageUri`, bearer);
    expect((uri.body as { value: string }).value).toContain("WDATP_Investigation_Package.zip");
    const denied = await call(
      MDE_HOST,
      `/api/machines/${machine}/restrictCodeExecution`,
      await token(MDE, NO_GRANT),
      {
        method: "POST",
        body: { Comment: "IR" },
      },
    );
    expect(denied.status).toBe(403);
  });
});

describe("Microsoft 365 Defender", () => {
  it("lists at most 100 incidents a page", async () => {
    const bearer = await token("https://api.security.microsoft.com/.default");
    expect((await call("api.security.microsoft.com", "/api/incidents?$top=100", bearer)).status).toBe(200);
    const tooMany = await call("api.security.microsoft.com", "/api/incidents?$top=101", bearer);
    expect(tooMany.status).toBe(400);
  });
});

describe("Defender for Cloud Apps", () => {
  it("answers on a tenant's host with the Cloud Apps audience; other hosts are not its own", async () => {
    const bearer = await token("05a65629-4c1b-48c1-a78b-804c4abdd4af/.default");
    const answer = await call("fabrikam.eu2.portal.cloudappsecurity.com", "/api/v1/files/", bearer, {
      method: "POST",
      body: { limit: 1 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      total: 2,
      hasNext: true,
      data: [expect.objectContaining({ _id: expect.any(String) })],
    });
    const elsewhere = await call("example.com", "/api/v1/files/", bearer, { method: "POST", body: {} });
    expect(elsewhere.status).toBe(404);
  });
});

describe("Office 365 Management Activity API", () => {
  it("content lists point at blobs on the same host; DLP blobs need ActivityFeed.ReadDlp", async () => {
    const bearer = await token("https://manage.office.com/.default");
    const feed = `/api/v1.0/${DEMO_TENANT_ID}/activity/feed`;
    expect(
      (
        await call("manage.office.com", `${feed}/subscriptions/start?contentType=DLP.All`, bearer, {
          method: "POST",
        })
      ).status,
    ).toBe(200);
    const listed = await call(
      "manage.office.com",
      `${feed}/subscriptions/content?contentType=DLP.All`,
      bearer,
    );
    const blobs = listed.body as Array<{ contentUri: string; contentType: string }>;
    expect(blobs).toHaveLength(2);
    const uri = new URL(blobs[0]!.contentUri);
    expect(uri.host).toBe("manage.office.com");
    const records = await call("manage.office.com", uri.pathname, bearer);
    expect(records.body).toEqual([
      expect.objectContaining({ Operation: "DlpRuleMatch" }),
      expect.objectContaining({ Operation: "DlpRuleMatch" }),
    ]);
    const window = await call(
      "manage.office.com",
      `${feed}/subscriptions/content?contentType=DLP.All&startTime=2020-01-01T00:00:00&endTime=2020-01-03T00:00:00`,
      bearer,
    );
    expect(window).toMatchObject({ status: 400, body: { error: { code: "AF20055" } } });
  });

  it("serves only the feed of the token's tenant (AF20010 for another tenant in the path); blobs carry it", async () => {
    const bearer = await token("https://manage.office.com/.default");
    const other = "00000000-0000-0000-0000-000000000001";
    const refused = await call(
      "manage.office.com",
      `/api/v1.0/${other}/activity/feed/subscriptions/list`,
      bearer,
    );
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "AF20010" } } });
    expect((refused.body as { error: { message: string } }).error.message).toContain(DEMO_TENANT_ID);
    const feed = `/api/v1.0/${DEMO_TENANT_ID}/activity/feed`;
    const listed = await call(
      "manage.office.com",
      `${feed}/subscriptions/content?contentType=Audit.Exchange`,
      bearer,
    );
    const blob = new URL((listed.body as Array<{ contentUri: string }>)[0]!.contentUri);
    const records = await call("manage.office.com", blob.pathname, bearer);
    expect(records.body).toEqual([
      expect.objectContaining({ OrganizationId: DEMO_TENANT_ID, Workload: "Exchange" }),
      expect.objectContaining({ OrganizationId: DEMO_TENANT_ID }),
    ]);
  });
});
