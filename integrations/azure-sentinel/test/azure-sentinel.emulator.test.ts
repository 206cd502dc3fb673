import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command against the emulator's built-in Microsoft Sentinel double (no routes added here), through client
// credentials and a managed identity. Paths and api-version: learn.microsoft.com/rest/api/securityinsights
// (Incidents, Incident Comments/Relations, Watchlists, Watchlist Items, Threat Intelligence Indicator, Alert Rules).
// api-version: XSOAR's API_VERSION (demisto/content Packs/AzureSentinel/Integrations/AzureSentinel/AzureSentinel.py).

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SENTINEL = `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws/providers/Microsoft.SecurityInsights`;
const INCIDENT = "73e01a99-5cd7-4139-a149-9f2736ff2ab5";
const V = "2024-03-01";
const PARAMS = { subscriptionID: SUBSCRIPTION, resourceGroupName: "soc-rg", workspaceName: "soc-ws" };

let harness: Harness;

/** The seed's app registration without any permission or role (the emulator's "no grant" demo app). */
function noGrantApp() {
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? {}).length === 0,
  )!;
  return { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
}

beforeAll(async () => {
  harness = await startHarness(integration, { params: PARAMS });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("azure-sentinel against the built-in Sentinel double", () => {
  it("azure-sentinel-list-incidents pages newest first with $top and follows the printed next link", async () => {
    const first = await harness.run("azure-sentinel-list-incidents", { limit: "2" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: `${SENTINEL}/incidents`,
      query: { "api-version": V, $top: "2", $orderby: "properties/createdTimeUtc desc" },
    });
    expect(first.readable).toContain(`|${INCIDENT}|3177|Multiple failed sign-ins|High|New|Adele Vance|`);
    expect(first.readable).toContain("|3176|Suspicious PowerShell command line|Medium|Active|Megan Bowen|");
    expect(first.readable).not.toContain("3175");
    const nextLink = /next_link=.?(https:[^\s'"]+)/.exec(first.readable)?.[1];
    expect(nextLink).toMatch(/^https:\/\/management\.azure\.com\//);
    const second = await harness.run("azure-sentinel-list-incidents", { next_link: nextLink! });
    expect(harness.lastCall().query).toMatchObject({ $skipToken: "2", "api-version": V });
    expect(second.readable).toContain("|3175|Mass download by a single user|Low|Closed|");
  });

  it("azure-sentinel-list-incidents sends the $filter and shows only matching incidents", async () => {
    const result = await harness.run("azure-sentinel-list-incidents", {
      filter: "properties/status eq 'Active'",
    });
    expect(harness.lastCall().query["$filter"]).toBe("properties/status eq 'Active'");
    expect(result.outputs).toEqual([expect.objectContaining({ IncidentNumber: 3176, Status: "Active" })]);
  });

  it("azure-sentinel-get-incident-by-id reads the seeded incident; an unknown ID is the service's 404", async () => {
    const result = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: INCIDENT });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents/${INCIDENT}`,
      query: { "api-version": V },
    });
    expect(result.outputs).toMatchObject({
      ID: INCIDENT,
      Title: "Multiple failed sign-ins",
      Severity: "High",
    });
    await expect(
      harness.run("azure-sentinel-get-incident-by-id", {
        incident_id: "00000000-0000-0000-0000-000000000000",
      }),
    ).rejects.toThrow(/404|NotFound/);
  });

  it("azure-sentinel-incident-add-comment PUTs a new comment that the incident then counts", async () => {
    const result = await harness.run("azure-sentinel-incident-add-comment", {
      incident_id: INCIDENT,
      message: "Investigating from the emulator",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      query: { "api-version": V },
      body: { properties: { message: "Investigating from the emulator" } },
    });
    expect(call.path).toMatch(new RegExp(`^${SENTINEL}/incidents/${INCIDENT}/comments/[0-9a-f-]{36}$`));
    expect(result.outputs).toMatchObject({
      IncidentID: INCIDENT,
      Message: "Investigating from the emulator",
    });
    expect(result.readable).toContain("Investigating from the emulator");
    const incident = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: INCIDENT });
    expect(incident.raw).toMatchObject({ properties: { additionalData: { commentsCount: 1 } } });
  });

  it("azure-sentinel-list-watchlists lists the workspace's watchlists", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/watchlists`,
      query: { "api-version": V },
    });
    expect(result.readable).toContain("|high-value-assets|");
    expect(result.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Name: "high-value-assets",
          DisplayName: "High Value Assets",
          ItemsSearchKey: "AssetName",
        }),
      ]),
    );
    expect(result.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ Alias: "vip-users" })]));
  });

  it("runs with a managed identity too", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists", {}, { use_managed_identities: true });
    expect(result.outputs).toHaveLength(2);
    expect(harness.requests.some((call) => call.host === "169.254.169.254")).toBe(true);
  });

  it("a workspace that does not exist is Resource Manager's 404", async () => {
    await expect(
      harness.run("azure-sentinel-list-watchlists", {}, { workspaceName: "other-ws" }),
    ).rejects.toThrow("ResourceNotFound");
  });
});

describe("incidents: update, delete, comments, relations, alerts, entities", () => {
  const OTHER = "e2a8f1c4-0b7d-4d3e-9a61-5c2f8e7d1b09";

  it("azure-sentinel-update-incident reads the etag, then PUTs the merged incident; a get shows the change", async () => {
    const before = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: OTHER });
    harness.clear();
    const result = await harness.run("azure-sentinel-update-incident", {
      incident_id: OTHER,
      status: "Closed",
      classification: "TruePositive",
      classification_reason: "SuspiciousActivity",
      classification_comment: "Confirmed with the host owner",
      assignee_email: "lee.gu@contoso.onmicrosoft.com",
      labels: "malware,host",
    });
    // Incidents - Create Or Update (learn.microsoft.com/rest/api/securityinsights/incidents/create-or-update):
    // title, severity and status are required, etag guards against lost updates.
    expect(harness.requests.map((call) => call.method)).toEqual(["GET", "PUT"]);
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${SENTINEL}/incidents/${OTHER}`,
      query: { "api-version": V },
      body: {
        etag: (before.outputs as { Etag: string }).Etag,
        properties: {
          title: "Suspicious PowerShell command line",
          severity: "Medium",
          status: "Closed",
          classification: "TruePositive",
          classificationReason: "SuspiciousActivity",
          classificationComment: "Confirmed with the host owner",
          owner: { email: "lee.gu@contoso.onmicrosoft.com" },
          labels: [
            { labelName: "malware", labelType: "User" },
            { labelName: "host", labelType: "User" },
          ],
        },
      },
    });
    expect(result.outputs).toMatchObject({
      ID: OTHER,
      Status: "Closed",
      AssigneeEmail: "lee.gu@contoso.onmicrosoft.com",
    });
    expect(result.readable).toContain(`### Updated incidents ${OTHER} details`);
    const after = await harness.run("azure-sentinel-get-incident-by-id", { incident_id: OTHER });
    expect(after.outputs).toMatchObject({ Status: "Closed", Label: [{ Name: "malware" }, { Name: "host" }] });
    expect((after.outputs as { Etag: string }).Etag).not.toBe((before.outputs as { Etag: string }).Etag);
  });

  it("azure-sentinel-update-incident to Closed without a classification is the service's 400", async () => {
    await expect(
      harness.run("azure-sentinel-update-incident", { incident_id: INCIDENT, status: "Closed" }),
    ).rejects.toThrow(/BadRequest[\s\S]*classification/);
  });

  it("azure-sentinel-list-incident-comments lists the comment that -incident-add-comment made; -incident-delete-comment removes it", async () => {
    const added = await harness.run("azure-sentinel-incident-add-comment", {
      incident_id: INCIDENT,
      message: "First look",
    });
    const commentId = (added.outputs as { ID: string }).ID;
    const listed = await harness.run("azure-sentinel-list-incident-comments", {
      incident_id: INCIDENT,
      limit: "5",
    });
    // Incident Comments - List (learn.microsoft.com/rest/api/securityinsights/incident-comments/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents/${INCIDENT}/comments`,
      query: { "api-version": V, $top: "5" },
    });
    expect(listed.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ID: commentId, IncidentID: INCIDENT, Message: "First look" }),
      ]),
    );
    const deleted = await harness.run("azure-sentinel-incident-delete-comment", {
      incident_id: INCIDENT,
      comment_id: commentId,
    });
    // Incident Comments - Delete (learn.microsoft.com/rest/api/securityinsights/incident-comments/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${SENTINEL}/incidents/${INCIDENT}/comments/${commentId}`,
      query: { "api-version": V },
    });
    expect(deleted.readable).toBe(`Comment ${commentId} was deleted successfully.`);
    const again = await harness.run("azure-sentinel-list-incident-comments", { incident_id: INCIDENT });
    expect(again.outputs).not.toEqual(expect.arrayContaining([expect.objectContaining({ ID: commentId })]));
  });

  it("azure-sentinel-list-incident-relations sends entity_kinds as XSOAR's search.in filter", async () => {
    const all = await harness.run("azure-sentinel-list-incident-relations", { incident_id: INCIDENT });
    expect((all.outputs as unknown[]).length).toBe(4);
    const result = await harness.run("azure-sentinel-list-incident-relations", {
      incident_id: INCIDENT,
      entity_kinds: "Account,Ip",
    });
    // Incident Relations - List (learn.microsoft.com/rest/api/securityinsights/incident-relations/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents/${INCIDENT}/relations`,
      query: {
        "api-version": V,
        $top: "50",
        $filter: "search.in(properties/relatedResourceKind, 'Account,Ip', ',')",
      },
    });
    expect(result.outputs).toEqual([
      { ID: "e1f2a3b4-1111-4c5d-9e0f-a1b2c3d4e5f6", Kind: "Account", IncidentID: INCIDENT },
      { ID: "e1f2a3b4-2222-4c5d-9e0f-a1b2c3d4e5f6", Kind: "Ip", IncidentID: INCIDENT },
    ]);
  });

  it("azure-sentinel-list-incident-alerts and -entities POST to the incident's alerts and entities", async () => {
    const alerts = await harness.run("azure-sentinel-list-incident-alerts", { incident_id: INCIDENT });
    // Incidents - List Alerts / List Entities are POSTs (learn.microsoft.com/rest/api/securityinsights/incidents/
    // list-alerts, …/list-entities).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${SENTINEL}/incidents/${INCIDENT}/alerts`,
      query: { "api-version": V },
    });
    expect(alerts.outputs).toEqual([
      expect.objectContaining({
        IncidentId: INCIDENT,
        ID: "9d3c1f0e-5a7b-4c2d-8e6f-1a2b3c4d5e6f",
        Kind: "SecurityAlert",
        DisplayName: "Brute force attack against an Entra ID account",
        Severity: "High",
        ProductName: "Azure Sentinel",
      }),
    ]);
    const entities = await harness.run("azure-sentinel-list-incident-entities", { incident_id: INCIDENT });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${SENTINEL}/incidents/${INCIDENT}/entities`,
    });
    expect(entities.outputs).toEqual([
      expect.objectContaining({
        Kind: "Account",
        IncidentId: INCIDENT,
        Properties: expect.objectContaining({ accountName: "adele.vance" }),
      }),
      expect.objectContaining({
        Kind: "Ip",
        Properties: expect.objectContaining({ address: "203.0.113.24" }),
      }),
    ]);
    expect(entities.readable).toContain(`### Incident ${INCIDENT} Entities (2 results)`);
  });

  it("azure-sentinel-delete-incident deletes it: a get is then the service's 404", async () => {
    const closed = "4c1d9b7e-6f2a-4e8b-8d3c-1a0f5e9b7c26";
    const result = await harness.run("azure-sentinel-delete-incident", { incident_id: closed });
    // Incidents - Delete (learn.microsoft.com/rest/api/securityinsights/incidents/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${SENTINEL}/incidents/${closed}`,
      query: { "api-version": V },
    });
    expect(result.readable).toBe(`Incident ${closed} was deleted successfully.`);
    expect(result.outputs).toEqual({ ID: closed, Deleted: true });
    await expect(harness.run("azure-sentinel-get-incident-by-id", { incident_id: closed })).rejects.toThrow(
      /NotFound/,
    );
  });

  it("subscription_id and resource_group_name override the instance's (XSOAR's per-command arguments)", async () => {
    await expect(
      harness.run("azure-sentinel-get-incident-by-id", {
        incident_id: INCIDENT,
        resource_group_name: "other-rg",
      }),
    ).rejects.toThrow("ResourceGroupNotFound");
    expect(harness.lastCall().path).toContain("/resourceGroups/other-rg/");
  });
});

describe("watchlists and their items", () => {
  it("azure-sentinel-watchlist-create-update sends XSOAR's watchlist body; the file's rows become items", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sentinel-")), "servers.csv");
    writeFileSync(file, "# exported from the CMDB\nHostName,Owner\nWEB-01,Lee Gu\nWEB-02,Megan Bowen\n");
    const result = await harness.run("azure-sentinel-watchlist-create-update", {
      watchlist_alias: "web-servers",
      watchlist_display_name: "Web Servers",
      description: "Internet-facing servers",
      labels: "web,dmz",
      lines_to_skip: "1",
      file_entry_id: file,
      items_search_key: "HostName",
    });
    // Watchlists - Create Or Update (learn.microsoft.com/rest/api/securityinsights/watchlists/create-or-update);
    // the argument → property mapping is XSOAR's (AzureSentinel.py create_update_watchlist_command).
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${SENTINEL}/watchlists/web-servers`,
      query: { "api-version": V },
    });
    expect(harness.lastCall().body).toEqual({
      properties: {
        watchlistAlias: "web-servers",
        displayName: "Web Servers",
        description: "Internet-facing servers",
        provider: "XSOAR",
        source: "Local file",
        labels: ["web", "dmz"],
        numberOfLinesToSkip: 1,
        rawContent: "# exported from the CMDB\nHostName,Owner\nWEB-01,Lee Gu\nWEB-02,Megan Bowen\n",
        itemsSearchKey: "HostName",
        contentType: "Text/Csv",
      },
    });
    expect(result.outputs).toMatchObject({
      Name: "web-servers",
      Alias: "web-servers",
      Provider: "XSOAR",
      Source: "Local file",
      ItemsSearchKey: "HostName",
      Label: ["web", "dmz"],
    });
    const items = await harness.run("azure-sentinel-list-watchlist-items", {
      watchlist_alias: "web-servers",
    });
    // Watchlist Items - List (learn.microsoft.com/rest/api/securityinsights/watchlist-items/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/watchlists/web-servers/watchlistItems`,
    });
    expect((items.outputs as Array<{ ItemsKeyValue: unknown }>).map((item) => item.ItemsKeyValue)).toEqual([
      { HostName: "WEB-01", Owner: "Lee Gu" },
      { HostName: "WEB-02", Owner: "Megan Bowen" },
    ]);
  });

  it("a search key that is not a column of the file is the service's 400", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sentinel-")), "bad.csv");
    writeFileSync(file, "Name\nx\n");
    await expect(
      harness.run("azure-sentinel-watchlist-create-update", {
        watchlist_alias: "bad",
        watchlist_display_name: "Bad",
        file_entry_id: file,
        items_search_key: "HostName",
      }),
    ).rejects.toThrow(/BadRequest[\s\S]*HostName/);
  });

  it("azure-sentinel-list-watchlists with watchlist_alias gets one watchlist", async () => {
    const result = await harness.run("azure-sentinel-list-watchlists", { watchlist_alias: "vip-users" });
    // Watchlists - Get (learn.microsoft.com/rest/api/securityinsights/watchlists/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/watchlists/vip-users`,
      query: { "api-version": V },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        Name: "vip-users",
        ItemsSearchKey: "UserPrincipalName",
        CreatedBy: "Adele Vance",
      }),
    ]);
  });

  it("azure-sentinel-create-update-watchlist-item PUTs the item; a get by ID reads it; -delete-watchlist-item removes it", async () => {
    const created = await harness.run("azure-sentinel-create-update-watchlist-item", {
      watchlist_alias: "high-value-assets",
      item_key_value: '{"AssetName":"DC-01","Owner":"Adele Vance"}',
    });
    // Watchlist Items - Create Or Update (learn.microsoft.com/rest/api/securityinsights/watchlist-items/create-or-update).
    const put = harness.lastCall();
    expect(put).toMatchObject({
      method: "PUT",
      query: { "api-version": V },
      body: { properties: { itemsKeyValue: { AssetName: "DC-01", Owner: "Adele Vance" } } },
    });
    expect(put.path).toMatch(
      new RegExp(`^${SENTINEL}/watchlists/high-value-assets/watchlistItems/[0-9a-f-]{36}$`),
    );
    const id = (created.outputs as { ID: string }).ID;
    expect(created.outputs).toMatchObject({
      WatchlistAlias: "high-value-assets",
      ID: id,
      ItemsKeyValue: { AssetName: "DC-01" },
    });
    const one = await harness.run("azure-sentinel-list-watchlist-items", {
      watchlist_alias: "high-value-assets",
      watchlist_item_id: id,
    });
    expect(harness.lastCall().path).toBe(`${SENTINEL}/watchlists/high-value-assets/watchlistItems/${id}`);
    expect(one.outputs).toEqual([
      expect.objectContaining({ ID: id, ItemsKeyValue: { AssetName: "DC-01", Owner: "Adele Vance" } }),
    ]);
    const deleted = await harness.run("azure-sentinel-delete-watchlist-item", {
      watchlist_alias: "high-value-assets",
      watchlist_item_id: id,
    });
    // Watchlist Items - Delete (learn.microsoft.com/rest/api/securityinsights/watchlist-items/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${SENTINEL}/watchlists/high-value-assets/watchlistItems/${id}`,
    });
    expect(deleted.readable).toBe(`Watchlist item ${id} was deleted successfully.`);
    await expect(
      harness.run("azure-sentinel-list-watchlist-items", {
        watchlist_alias: "high-value-assets",
        watchlist_item_id: id,
      }),
    ).rejects.toThrow(/NotFound/);
  });

  it("azure-sentinel-delete-watchlist deletes it from the list", async () => {
    const result = await harness.run("azure-sentinel-delete-watchlist", { watchlist_alias: "vip-users" });
    // Watchlists - Delete (learn.microsoft.com/rest/api/securityinsights/watchlists/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${SENTINEL}/watchlists/vip-users`,
      query: { "api-version": V },
    });
    expect(result.readable).toBe("Watchlist vip-users was deleted successfully.");
    const list = await harness.run("azure-sentinel-list-watchlists");
    expect(list.outputs).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ Alias: "vip-users" })]),
    );
  });
});

describe("threat intelligence indicators", () => {
  const TI = `${SENTINEL}/threatIntelligence/main`;
  const IP_INDICATOR = "a31f2257-1af5-5eb9-bc82-acb8cc10becd";

  it("azure-sentinel-threat-indicator-list pages with $top and gets one by name", async () => {
    const result = await harness.run("azure-sentinel-threat-indicator-list", { limit: "2" });
    // Threat Intelligence Indicators - List (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-indicators/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${TI}/indicators`,
      query: { "api-version": V, $top: "2" },
    });
    expect(result.outputs).toHaveLength(2);
    expect(result.additionalOutputs).toMatchObject({
      "AzureSentinel.NextLink": { URL: expect.stringContaining("$skipToken=2") },
    });
    const one = await harness.run("azure-sentinel-threat-indicator-list", { indicator_name: IP_INDICATOR });
    expect(harness.lastCall().path).toBe(`${TI}/indicators/${IP_INDICATOR}`);
    expect(one.outputs).toEqual([
      expect.objectContaining({
        Name: IP_INDICATOR,
        DisplayName: "Brute force source 203.0.113.24",
        Values: "203.0.113.24",
        ParsedPattern: {
          PatternTypeKey: "ipv4-addr",
          PatternTypeValues: { Value: "203.0.113.24", ValueType: "ipv4-addr" },
        },
        KillChainPhases: [{ KillChainName: "lockheed-martin", PhaseName: "exploitation" }],
      }),
    ]);
  });

  it("azure-sentinel-threat-indicator-query POSTs XSOAR's filter body", async () => {
    const result = await harness.run("azure-sentinel-threat-indicator-query", {
      min_confidence: "50",
      indicator_types: "ipv4,domain",
      keywords: "brute",
    });
    // Threat Intelligence Indicator - Query Indicators (learn.microsoft.com/rest/api/securityinsights/threat-
    // intelligence-indicator/query-indicators).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${TI}/queryIndicators`,
      query: { "api-version": V, $top: "50" },
      body: {
        minConfidence: 50,
        patternTypes: ["ipv4-address", "domain-name"],
        keywords: "brute",
        includeDisabled: false,
      },
    });
    expect((result.outputs as Array<{ Name: string }>).map((indicator) => indicator.Name)).toEqual([
      IP_INDICATOR,
    ]);
  });

  it("azure-sentinel-threat-indicator-create, -update, -tags-append, -tags-replace and -delete change what a read shows", async () => {
    const created = await harness.run("azure-sentinel-threat-indicator-create", {
      value: "evil.example",
      display_name: "Phishing kit host",
      indicator_type: "domain",
      threat_types: "malicious-activity",
      confidence: "70",
      tags: "phishing",
      kill_chains: "delivery",
    });
    // Threat Intelligence Indicator - Create Indicator (learn.microsoft.com/rest/api/securityinsights/threat-
    // intelligence-indicator/create-indicator).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${TI}/createIndicator`,
      query: { "api-version": V },
      body: {
        kind: "indicator",
        properties: {
          displayName: "Phishing kit host",
          confidence: 70,
          threatTypes: ["malicious-activity"],
          source: "Microsoft Sentinel",
          threatIntelligenceTags: ["phishing"],
          revoked: false,
          patternType: "domain-name",
          pattern: "[domain-name:value = 'evil.example']",
          killChainPhases: [{ killChainName: "delivery", phaseName: "delivery" }],
        },
      },
    });
    const name = (created.outputs as Array<{ Name: string }>)[0]!.Name;
    expect(created.readable).toContain("### New threat Indicator was created (1 results)");

    const updated = await harness.run("azure-sentinel-threat-indicator-update", {
      indicator_name: name,
      value: "evil.example",
      display_name: "Phishing kit host (confirmed)",
      indicator_type: "domain",
      confidence: "95",
    });
    // Threat Intelligence Indicator - Get, then Create (PUT) (learn.microsoft.com/rest/api/securityinsights/threat-
    // intelligence-indicator/create).
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${TI}/indicators/${name}`,
      body: {
        kind: "indicator",
        properties: {
          displayName: "Phishing kit host (confirmed)",
          confidence: 95,
          threatTypes: ["malicious-activity"],
        },
      },
    });
    expect(updated.outputs).toEqual([
      expect.objectContaining({ Name: name, Confidence: 95, Tags: ["phishing"] }),
    ]);

    const appended = await harness.run("azure-sentinel-threat-indicator-tags-append", {
      indicator_name: name,
      tags: "kit,q2",
    });
    // Append Tags (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-indicator/append-tags).
    const append = harness.requests.find((call) => call.path.endsWith("/appendTags"));
    expect(append).toMatchObject({
      method: "POST",
      path: `${TI}/indicators/${name}/appendTags`,
      body: { threatIntelligenceTags: ["kit", "q2"] },
    });
    expect(appended.outputs).toEqual([expect.objectContaining({ Tags: ["phishing", "kit", "q2"] })]);
    expect(appended.readable).toContain(`Tags were appended to ${name} Threat Indicator.`);

    const replaced = await harness.run("azure-sentinel-threat-indicator-tags-replace", {
      indicator_name: name,
      tags: "final",
    });
    // Replace Tags (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-indicator/replace-tags).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${TI}/indicators/${name}/replaceTags`,
      body: { properties: { threatIntelligenceTags: ["final"] } },
    });
    expect(replaced.outputs).toEqual([expect.objectContaining({ Tags: ["final"] })]);

    const deleted = await harness.run("azure-sentinel-threat-indicator-delete", { indicator_names: name });
    // Threat Intelligence Indicator - Delete (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-indicator/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${TI}/indicators/${name}`,
      query: { "api-version": V },
    });
    expect(deleted.outputs).toEqual([{ Name: name, Deleted: true }]);
    await expect(
      harness.run("azure-sentinel-threat-indicator-list", { indicator_name: name }),
    ).rejects.toThrow(/NotFound/);
  });
});

describe("alert rules, templates, subscriptions and resource groups", () => {
  it("azure-sentinel-list-alert-rule lists the rules and gets one", async () => {
    const result = await harness.run("azure-sentinel-list-alert-rule");
    // Alert Rules - List (learn.microsoft.com/rest/api/securityinsights/alert-rules/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/alertRules`,
      query: { "api-version": V },
    });
    expect(result.readable).toContain("|BuiltInFusion|Fusion|High|Advanced Multistage Attack Detection|");
    const one = await harness.run("azure-sentinel-list-alert-rule", { rule_id: "BuiltInFusion" });
    expect(harness.lastCall().path).toBe(`${SENTINEL}/alertRules/BuiltInFusion`);
    expect(one.outputs).toEqual([expect.objectContaining({ name: "BuiltInFusion", kind: "Fusion" })]);
  });

  it("azure-sentinel-list-alert-rule-template lists templates with limit", async () => {
    const result = await harness.run("azure-sentinel-list-alert-rule-template", { limit: "1" });
    // Alert Rule Templates - List (learn.microsoft.com/rest/api/securityinsights/alert-rule-templates/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/alertRuleTemplates`,
      query: { "api-version": V },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ name: "f71aba3d-28fb-450b-b192-4e76a83015c8", kind: "Fusion" }),
    ]);
  });

  it("azure-sentinel-create-alert-rule PUTs a scheduled rule as XSOAR builds it; -update-alert-rule changes it; -delete-alert-rule removes it", async () => {
    const args = {
      rule_name: "sentinel-test-rule",
      kind: "scheduled",
      displayName: "Many sign-ins",
      enabled: "yes",
      query: "SigninLogs | summarize count() by UserPrincipalName",
      query_frequency: "PT1H",
      query_period: "PT1H",
      severity: "medium",
      suppression_duration: "PT1H",
      suppression_enabled: "no",
      trigger_operator: "greater_than",
      trigger_threshold: "10",
      tactics: "InitialAccess",
    };
    const created = await harness.run("azure-sentinel-create-alert-rule", args);
    // Alert Rules - Create Or Update (learn.microsoft.com/rest/api/securityinsights/alert-rules/create-or-update).
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: `${SENTINEL}/alertRules/sentinel-test-rule`,
      query: { "api-version": V },
      body: {
        kind: "Scheduled",
        properties: {
          displayName: "Many sign-ins",
          enabled: true,
          severity: "Medium",
          triggerOperator: "GreaterThan",
          triggerThreshold: 10,
          suppressionEnabled: false,
          tactics: ["InitialAccess"],
        },
      },
    });
    expect(created.outputs).toMatchObject({
      name: "sentinel-test-rule",
      kind: "Scheduled",
      properties: { severity: "Medium" },
    });
    const etag = (created.outputs as { etag: string }).etag;
    const updated = await harness.run("azure-sentinel-update-alert-rule", {
      ...args,
      severity: "high",
      etag,
    });
    expect(harness.lastCall().body).toMatchObject({ etag, properties: { severity: "High" } });
    expect(updated.outputs).toMatchObject({ properties: { severity: "High" } });
    await expect(harness.run("azure-sentinel-update-alert-rule", { ...args, etag })).rejects.toThrow(
      /Conflict/,
    );
    const deleted = await harness.run("azure-sentinel-delete-alert-rule", { rule_id: "sentinel-test-rule" });
    // Alert Rules - Delete (learn.microsoft.com/rest/api/securityinsights/alert-rules/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${SENTINEL}/alertRules/sentinel-test-rule`,
    });
    expect(deleted.readable).toBe("Alert rule sentinel-test-rule was deleted successfully.");
    await expect(
      harness.run("azure-sentinel-list-alert-rule", { rule_id: "sentinel-test-rule" }),
    ).rejects.toThrow(/NotFound/);
  });

  it("a scheduled rule without its required arguments stops before any request", async () => {
    await expect(
      harness.run("azure-sentinel-create-alert-rule", {
        rule_name: "x",
        kind: "scheduled",
        displayName: "x",
      }),
    ).rejects.toThrow('"enabled" is required for "scheduled" alert rule.');
    expect(harness.requests.filter((call) => call.host === "management.azure.com")).toHaveLength(0);
  });

  it("azure-sentinel-subscriptions-list and -resource-group-list read Resource Manager with XSOAR's api-versions", async () => {
    const subscriptions = await harness.run("azure-sentinel-subscriptions-list");
    // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect((subscriptions.outputs as unknown[]).length).toBeGreaterThan(0);
    expect(subscriptions.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subscriptionId: expect.any(String), state: "Enabled" }),
      ]),
    );
    const first = (subscriptions.outputs as Array<{ subscriptionId: string }>)[0]!.subscriptionId;
    const groups = await harness.run("azure-sentinel-resource-group-list", {
      subscription_id: first,
      limit: "5",
    });
    // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${first}/resourcegroups`,
      query: { "api-version": "2021-04-01", $top: "5" },
    });
    expect((groups.outputs as unknown[]).length).toBeGreaterThan(0);
    expect(groups.readable).toContain("### Azure Sentinel Resource Groups");
  });
});

describe("XSOAR's mirroring debug commands", () => {
  it("get-modified-remote-data lists the incidents modified since lastUpdate with XSOAR's filter", async () => {
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const result = await harness.run("get-modified-remote-data", { lastUpdate: since });
    // Incidents - List with $filter (learn.microsoft.com/rest/api/securityinsights/incidents/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents`,
      query: { "api-version": V, $filter: `properties/lastModifiedTimeUtc ge ${since}` },
    });
    // The seed's newest incident was last modified 25 minutes ago; nothing was modified after now.
    expect(result.outputs).toEqual(expect.arrayContaining([INCIDENT]));
    const none = await harness.run("get-modified-remote-data", {
      lastUpdate: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(none.outputs).toEqual([]);
  });

  it("get-remote-data reads the incident's mirrored fields; get-mapping-fields lists the outgoing ones", async () => {
    const result = await harness.run("get-remote-data", { id: INCIDENT });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${SENTINEL}/incidents/${INCIDENT}`,
      query: { "api-version": V },
    });
    expect(result.outputs).toMatchObject({
      ID: INCIDENT,
      Title: "Multiple failed sign-ins",
      IncidentNumber: 3177,
    });
    const before = harness.requests.length;
    const fields = await harness.run("get-mapping-fields");
    expect(harness.requests.length).toBe(before);
    expect(fields.outputs).toEqual(expect.arrayContaining(["classification", "etag", "status", "title"]));
  });
});

describe("azure-sentinel-test and access errors", () => {
  it("-test lists one incident at Resource Manager, counted at the emulator, and names what it reached", async () => {
    const result = await harness.run("azure-sentinel-test");
    const served = harness.emulator.requests.filter((entry) => entry.service === "arm");
    expect(served).toHaveLength(1);
    expect(served[0]!.path).toBe(`${SENTINEL}/incidents`);
    expect(harness.lastCall().query).toEqual({ $top: "1", "api-version": V });
    expect(result.readable).toContain(
      "✅ Success! Azure Sentinel authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com${SENTINEL}/incidents → 200`,
    );
    expect(result.readable).toContain("Microsoft Sentinel Reader");
  });

  it("an app without a role on the workspace: -test names the role, and a command's 403 names its permission", async () => {
    // Resource Manager authorizes with Azure RBAC: the token carries no role, so -auth-test cannot tell; the
    // service's 403 can.
    await expect(harness.run("azure-sentinel-test", {}, noGrantApp())).rejects.toThrow(
      /answered HTTP 403[\s\S]*Microsoft Sentinel Reader/,
    );
    await expect(
      harness.run(
        "azure-sentinel-incident-add-comment",
        { incident_id: INCIDENT, message: "x" },
        noGrantApp(),
      ),
    ).rejects.toThrow(
      "azure-sentinel-incident-add-comment needs: delegated permission user_impersonation; Azure role Microsoft Sentinel Responder, or Microsoft Sentinel Contributor",
    );
    // Watchlists - Delete needs the Contributor role (learn.microsoft.com/azure/sentinel/roles).
    await expect(
      harness.run("azure-sentinel-delete-watchlist", { watchlist_alias: "high-value-assets" }, noGrantApp()),
    ).rejects.toThrow(
      "azure-sentinel-delete-watchlist needs: delegated permission user_impersonation; Azure role Microsoft Sentinel Contributor",
    );
  });
});
