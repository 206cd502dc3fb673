import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials and through authorization code against the emulator's built-in
// SharePoint/OneDrive double (seeded sites, document libraries, folders and files).

const SECOPS_SITE =
  "contoso.sharepoint.com,2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe";
const TEAM_GROUP = "02bd9fd6-8f93-4758-87c3-1fb73740a315";

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration);
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? { x: 1 }).length === 0,
  )!;
  noGrant = { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

type Run = (
  command: string,
  args?: Record<string, string>,
) => Promise<{ outputs?: unknown; readable?: string }>;

/** The three commands, one after the other, as a user browses: sites, a site's drives, a drive's folders. */
async function browse(run: Run) {
  const sites = await run("msgraph-list-sharepoint-sites", { keyword: "security" });
  // learn.microsoft.com/graph/api/site-search: GET /sites?search={query}.
  expect(harness.lastCall()).toMatchObject({
    method: "GET",
    host: "graph.microsoft.com",
    path: "/v1.0/sites",
    query: { search: "security" },
  });
  const found = (sites.outputs as { Sites: Array<{ id: string; displayName: string }> }).Sites;
  expect(found).toEqual([expect.objectContaining({ id: SECOPS_SITE, displayName: "Security Operations" })]);

  const drives = await run("msgraph-list-drives-in-site", { site_id: SECOPS_SITE, limit: "5" });
  // learn.microsoft.com/graph/api/drive-list: GET /sites/{siteId}/drives.
  expect(harness.lastCall()).toMatchObject({
    path: `/v1.0/sites/${SECOPS_SITE}/drives`,
    query: { $top: "5" },
  });
  const libraries = (drives.outputs as { Value: Array<{ id: string; name: string; driveType: string }> })
    .Value;
  expect(libraries.map((drive) => [drive.name, drive.driveType])).toEqual([
    ["Documents", "documentLibrary"],
    ["Evidence", "documentLibrary"],
  ]);

  const root = await run("msgraph-list-drive-content", { object_type_id: libraries[0]!.id });
  // learn.microsoft.com/graph/api/driveitem-list-children: GET /drives/{drive-id}/root/children.
  expect(harness.lastCall()).toMatchObject({ path: `/v1.0/drives/${libraries[0]!.id}/root/children` });
  const children = (root.outputs as { Children: Array<{ id: string; name: string; folder?: unknown }> })
    .Children;
  expect(children.map((child) => child.name)).toEqual([
    "Incident reports",
    "Phishing runbook.docx",
    "IOC list.csv",
  ]);
  expect(root.readable).toContain("|Incident reports|");

  const folder = children.find((child) => child.folder)!;
  const inside = await run("msgraph-list-drive-content", {
    object_type_id: libraries[0]!.id,
    item_id: folder.id,
  });
  // …/items/{item-id}/children
  expect(harness.lastCall().path).toBe(`/v1.0/drives/${libraries[0]!.id}/items/${folder.id}/children`);
  expect(inside.outputs).toMatchObject({
    ParentID: folder.id,
    Children: [
      expect.objectContaining({ name: "INC-4711 summary.pdf", size: 220431 }),
      expect.objectContaining({ name: "INC-4702 timeline.xlsx" }),
    ],
  });
}

describe("through client credentials", () => {
  it("sites → drives → folders", async () => {
    await browse((command, args) => harness.run(command, args));
  });

  it("a group's and a user's default drive", async () => {
    const group = await harness.run("msgraph-list-drive-content", {
      object_type: "groups",
      object_type_id: TEAM_GROUP,
    });
    // learn.microsoft.com/graph/api/driveitem-list-children: GET /groups/{group-id}/drive/root/children.
    expect(harness.lastCall().path).toBe(`/v1.0/groups/${TEAM_GROUP}/drive/root/children`);
    expect((group.outputs as { Children: unknown[] }).Children).toHaveLength(3);
    const user = await harness.run("msgraph-list-drive-content", {
      object_type: "users",
      object_type_id: "alexw@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall().path).toBe("/v1.0/users/alexw@contoso.onmicrosoft.com/drive/root/children");
    expect(user.readable).toContain("Phishing runbook.docx");
  });

  it("the old msint name msgraph-files-list-drives-in-site still runs, with a notice", async () => {
    const result = await harness.run("msgraph-files-list-drives-in-site", { site_id: SECOPS_SITE });
    expect(harness.lastCall().path).toBe(`/v1.0/sites/${SECOPS_SITE}/drives`);
    expect((result.outputs as { Value: unknown[] }).Value).toHaveLength(2);
    expect((result as { notices?: string[] }).notices).toContain(
      "msgraph-files-list-drives-in-site is deprecated and goes in the next release: use msgraph-list-drives-in-site.",
    );
  });

  it("XSOAR's next_page_url: a page's NextToken reads the next page", async () => {
    const first = await harness.run("msgraph-list-drives-in-site", { site_id: SECOPS_SITE, limit: "1" });
    const page = first.outputs as { Value: Array<{ name: string }>; NextToken: string };
    expect(page.Value.map((drive) => drive.name)).toEqual(["Documents"]);
    // learn.microsoft.com/graph/paging: follow @odata.nextLink as it is.
    expect(page.NextToken).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/sites\/.+\/drives\?/);
    const second = await harness.run("msgraph-list-drives-in-site", {
      site_id: SECOPS_SITE,
      next_page_url: page.NextToken,
    });
    expect((second.outputs as { Value: Array<{ name: string }> }).Value.map((drive) => drive.name)).toEqual([
      "Evidence",
    ]);
  });

  it("an unknown site is SharePoint's itemNotFound", async () => {
    await expect(
      harness.run("msgraph-list-drives-in-site", { site_id: "contoso.sharepoint.com,0,0" }),
    ).rejects.toThrow("itemNotFound");
  });
});

describe("through authorization code", () => {
  it("the signed-in user browses the same sites with the delegated scopes", async () => {
    const instance = await harness.instance({
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("msgraph-files-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    expect(new URL(loginUrl).searchParams.get("scope")).toContain("Sites.Read.All Files.ReadWrite.All");
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    await browse((command, args) => instance.run(command, args));
    expect(harness.emulator.tokenRequests().map((request) => request.grantType)).toContain(
      "authorization_code",
    );
  });
});

describe("through the machine's managed identity", () => {
  it("msgraph-list-sharepoint-sites and -test with the system-assigned identity's token (IMDS)", async () => {
    const identity = { use_managed_identities: true, auth_id: undefined, enc_key: undefined };
    const result = await harness.run("msgraph-list-sharepoint-sites", {}, identity);
    expect((result.outputs as { Sites: unknown[] }).Sites).toHaveLength(2);
    const imds = harness.emulator.requests.find(
      (request) => request.path === "/metadata/identity/oauth2/token",
    )!;
    expect(imds.query["resource"]).toBe("https://graph.microsoft.com");
    const test = await harness.run("msgraph-files-test", {}, identity);
    expect(test.readable).toContain("authenticated with Azure Managed Identities and reached:");
  });
});

describe("-test and permissions", () => {
  it("msgraph-files-test searches the sites once and names what it reached", async () => {
    const result = await harness.run("msgraph-files-test");
    const graph = harness.emulator.requests.filter((request) => request.service === "graph");
    expect(graph.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1.0/sites"]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/sites → 200");
  });

  it("msgraph-files-auth-test with an app without permissions fails naming Sites.Read.All", async () => {
    await expect(harness.run("msgraph-files-auth-test", {}, noGrant)).rejects.toThrow(
      /lacks the application permission Sites\.Read\.All/,
    );
  });

  it("a 403 of a command names the command's permission", async () => {
    const error = await harness
      .run("msgraph-list-drive-content", { object_type_id: "b!x" }, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("accessDenied");
    expect(String(error)).toContain(
      "msgraph-list-drive-content needs: application permission Files.Read.All (or Files.ReadWrite.All, or Sites.Read.All, or Sites.ReadWrite.All)",
    );
  });
});
