import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SITE = {
  id: "contoso.sharepoint.com,2c5a,9f3d",
  name: "soc",
  displayName: "SOC",
  webUrl: "https://contoso.sharepoint.com/sites/soc",
};
const CHILDREN = [
  {
    id: "01ABC",
    name: "Reports",
    folder: { childCount: 2 },
    size: 0,
    lastModifiedDateTime: "2024-05-01T10:00:00Z",
  },
  {
    id: "01DEF",
    name: "ioc.csv",
    file: { mimeType: "text/csv" },
    size: 2048,
    lastModifiedDateTime: "2024-05-01T11:00:00Z",
  },
];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["Sites.ReadWrite.All", "Files.ReadWrite.All"] },
  });
  const { emulator } = harness;
  const sites = {
    resource: "graph",
    roles: ["Sites.Read.All", "Sites.ReadWrite.All"],
    scopes: ["Sites.Read.All"],
  };
  const files = {
    resource: "graph",
    roles: ["Files.Read.All", "Files.ReadWrite.All", "Sites.ReadWrite.All"],
    scopes: ["Files.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/sites", sites, (ctx) => ctx.json(200, { value: [SITE] }));
  emulator.addRoute("GET", "/v1.0/sites/:site/drives", sites, (ctx) =>
    ctx.json(200, {
      value: [
        {
          id: "b!drive1",
          name: "Documents",
          driveType: "documentLibrary",
          webUrl: `${SITE.webUrl}/Shared Documents`,
        },
      ],
    }),
  );
  emulator.addRoute("GET", "/v1.0/drives/:drive/root/children", files, (ctx) =>
    ctx.json(200, { value: CHILDREN }),
  );
  emulator.addRoute("GET", "/v1.0/drives/:drive/items/:item/children", files, (ctx) =>
    ctx.json(200, { value: [] }),
  );
  emulator.addRoute("GET", "/v1.0/users/:user/drive/root/children", files, (ctx) =>
    ctx.json(200, { value: CHILDREN }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("sites, drives and files", () => {
  it("msgraph-list-sharepoint-sites searches sites", async () => {
    const result = await harness.run("msgraph-list-sharepoint-sites", { keyword: "soc" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/sites",
      query: { search: "soc" },
    });
    expect(result.readable).toContain(`|soc|SOC|${SITE.webUrl}|${SITE.id}|`);
    expect(result).toMatchObject({ outputsPrefix: "MsGraphFiles.ListSites", outputs: { Sites: [SITE] } });
  });

  it("msgraph-list-drives-in-site", async () => {
    const result = await harness.run("msgraph-list-drives-in-site", { site_id: SITE.id });
    expect(harness.lastCall()).toMatchObject({
      path: `/v1.0/sites/${SITE.id}/drives`,
      query: { $top: "50" },
    });
    expect(result.readable).toContain("|Documents|documentLibrary|");
  });

  it("msgraph-list-drive-content of a drive's root, a folder, and a user's drive", async () => {
    const result = await harness.run("msgraph-list-drive-content", { object_type_id: "b!drive1" });
    expect(harness.lastCall().path).toBe("/v1.0/drives/b!drive1/root/children");
    expect(result.readable).toContain("|Reports|01ABC|Folder|0|");
    expect(result.readable).toContain("|ioc.csv|01DEF|File|2048|");
    await harness.run("msgraph-list-drive-content", { object_type_id: "b!drive1", item_id: "01ABC" });
    expect(harness.lastCall().path).toBe("/v1.0/drives/b!drive1/items/01ABC/children");
    await harness.run("msgraph-list-drive-content", {
      object_type: "users",
      object_type_id: "adelev@contoso.onmicrosoft.com",
    });
    expect(harness.lastCall().path).toBe("/v1.0/users/adelev@contoso.onmicrosoft.com/drive/root/children");
  });

  it("a signed-in user's delegated token reaches the files", async () => {
    const result = await harness.runWithToken(
      "msgraph-list-drive-content",
      { object_type_id: "b!drive1" },
      { scp: "Files.ReadWrite.All" },
    );
    expect((result.outputs as { Children: unknown[] }).Children).toHaveLength(2);
  });
});

describe("auth errors", () => {
  it("a user token without Files.ReadWrite.All is denied", async () => {
    await expect(
      harness.runWithToken(
        "msgraph-list-drive-content",
        { object_type_id: "b!drive1" },
        { scp: "User.Read" },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
