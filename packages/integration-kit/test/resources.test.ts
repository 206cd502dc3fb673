import { CLOUDS } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import {
  AZURE_DEVOPS_RESOURCE_ID,
  argumentOrParameter,
  azureDevOps,
  type CommandContext,
  collectPages,
  defenderForCloudApps,
  defenderForEndpoint,
  keyVault,
  kustoCluster,
  limitArgument,
  listStorageEntries,
  logAnalytics,
  microsoft365Defender,
  office365Management,
  qualifyScope,
  resourceGroupParameter,
  resourceGroupPath,
  STORAGE_API_VERSION,
  storage,
  storageName,
  subscriptionIdParameter,
  subscriptionPath,
  xmlText,
} from "../src/index.js";

const worldwide = CLOUDS.com;

describe("resource helpers", () => {
  it("Log Analytics follows the cloud, and says when a cloud has none", () => {
    const resource = logAnalytics();
    expect(resource.endpoint(worldwide, {})).toBe("https://api.loganalytics.io");
    expect(resource.endpoint(CLOUDS["gcc-high"], {})).toBe("https://api.loganalytics.us");
    expect(() => resource.endpoint(CLOUDS.de, {})).toThrow("not offered in the Germany cloud");
    expect(resource.cloudKey).toBe("logAnalytics");
    expect(qualifyScope(resource.delegatedScopes[0]!, "https://api.loganalytics.io", resource.kind)).toBe(
      "https://api.loganalytics.io/Data.Read",
    );
  });

  it("Key Vault: the vault's host, the cloud's Key Vault audience", () => {
    const resource = keyVault();
    expect(resource.endpoint(worldwide, { vault_name: "soc" })).toBe("https://soc.vault.azure.net");
    expect(resource.endpoint(CLOUDS.cn, { vault_name: "soc" })).toBe("https://soc.vault.azure.cn");
    expect(resource.audience!(CLOUDS.dod, {})).toBe("https://vault.usgovcloudapi.net");
    expect(() => resource.endpoint(worldwide, {})).toThrow("Key Vault Name is not set");
    expect(resource.parameters?.map((parameter) => parameter.key)).toEqual(["vault_name"]);
  });

  it("storage: account host per service, x-ms-version, the storage audience, account SAS", () => {
    for (const service of ["blob", "file", "queue", "table"] as const) {
      const resource = storage(service);
      expect(resource.endpoint(worldwide, { account_name: "soc" })).toBe(
        `https://soc.${service}.core.windows.net`,
      );
      expect(resource.endpoint(CLOUDS["gcc-high"], { account_name: "soc" })).toBe(
        `https://soc.${service}.core.usgovcloudapi.net`,
      );
      expect(resource.audience!(worldwide, {})).toBe("https://storage.azure.com");
      expect(resource.headers).toEqual({ "x-ms-version": STORAGE_API_VERSION });
      expect(resource.sharedAccessSignature).toBe(true);
    }
    expect(STORAGE_API_VERSION).toBe("2020-10-02");
    expect(() => storage("blob").endpoint(worldwide, {})).toThrow("Storage account name is not set");
  });

  it("Defender for Endpoint by Endpoint Type, with the WindowsDefenderATP audience", () => {
    const resource = defenderForEndpoint();
    expect(resource.endpoint(worldwide, {})).toBe("https://api.securitycenter.microsoft.com");
    expect(resource.audience!(worldwide, {})).toBe(
      "https://securitycenter.onmicrosoft.com/windowsatpservice",
    );
    expect(resource.endpoint(worldwide, { endpoint_type: "EU Geo Proximity" })).toBe(
      "https://api-eu.securitycenter.microsoft.com",
    );
    expect(resource.endpoint(CLOUDS.dod, { endpoint_type: "DoD" })).toBe(
      "https://api-gov.securitycenter.microsoft.us",
    );
    expect(resource.audience!(CLOUDS.dod, { endpoint_type: "DoD" })).toBe(
      "https://securitycenter.onmicrosoft.us/windowsatpservice",
    );
    expect(
      resource.endpoint(worldwide, { endpoint_type: "Custom", server_url: "https://mde.contoso.test" }),
    ).toBe("https://mde.contoso.test");
    expect(() => resource.endpoint(worldwide, { endpoint_type: "US GCC-High" })).toThrow(
      "Leave Azure Cloud empty",
    );
    // Left empty, Azure Cloud follows the Endpoint Type; a Custom API URL signs in wherever Azure Cloud says.
    expect(
      ["Worldwide", "EU Geo Proximity", "US GCC", "US GCC-High", "DoD", "Custom"].map((type) =>
        resource.cloudFor!({ endpoint_type: type, server_url: "https://mde.contoso.test" }),
      ),
    ).toEqual(["com", "com", "gcc", "gcc-high", "dod", "com"]);
    expect(
      resource.endpoint(CLOUDS["gcc-high"], {
        endpoint_type: "Custom",
        server_url: "https://mde.contoso.test",
      }),
    ).toBe("https://mde.contoso.test");
    expect(resource.parameters?.[0]).toMatchObject({
      key: "endpoint_type",
      displayName: "Endpoint Type",
      defaultValue: "Worldwide",
    });
  });

  it("Defender for Cloud Apps, Microsoft 365 Defender, Office 365 Management, Kusto and Azure DevOps", () => {
    const cloudApps = defenderForCloudApps();
    expect(cloudApps.endpoint(worldwide, { url: "https://contoso.us3.portal.cloudappsecurity.com" })).toBe(
      "https://contoso.us3.portal.cloudappsecurity.com",
    );
    expect(cloudApps.audience!(worldwide, {})).toBe("05a65629-4c1b-48c1-a78b-804c4abdd4af");
    const m365 = microsoft365Defender();
    expect(m365.endpoint(worldwide, {})).toBe("https://api.security.microsoft.com");
    expect(m365.endpoint(worldwide, { base_url: "https://api-eu.security.microsoft.com" })).toBe(
      "https://api-eu.security.microsoft.com",
    );
    expect(m365.audience!(worldwide, {})).toBe("https://api.security.microsoft.com");
    const office = office365Management();
    expect(office.endpoint(worldwide, {})).toBe("https://manage.office.com");
    expect(office.endpoint(CLOUDS.gcc, {})).toBe("https://manage-gcc.office.com");
    expect(() => office.endpoint(CLOUDS.cn, {})).toThrow("not offered in the China cloud");
    const kusto = kustoCluster();
    expect(kusto.endpoint(worldwide, { cluster_url: "https://soc.westeurope.kusto.windows.net/" })).toBe(
      "https://soc.westeurope.kusto.windows.net",
    );
    expect(kusto.audience!(worldwide, { cluster_url: "https://soc.westeurope.kusto.windows.net" })).toBe(
      "https://soc.westeurope.kusto.windows.net",
    );
    const devops = azureDevOps();
    expect(devops.endpoint(worldwide, { organization: "contoso" })).toBe("https://dev.azure.com/contoso");
    expect(devops.audience!(worldwide, {})).toBe(AZURE_DEVOPS_RESOURCE_ID);
    expect(qualifyScope(".default", AZURE_DEVOPS_RESOURCE_ID, devops.kind)).toBe(
      "499b84ac-1321-427f-aa17-267ca6975798/.default",
    );
  });

  it("subscription and resource group parameters tell where the portal shows them", () => {
    expect(subscriptionIdParameter().help).toContain("Overview tab");
    expect(resourceGroupParameter("resourceGroupName", "Resource Group Name")).toMatchObject({
      key: "resourceGroupName",
      displayName: "Resource Group Name",
    });
    expect(resourceGroupParameter().help).toContain("Overview tab");
  });
});

function context(
  args: Record<string, string>,
  params: Record<string, string> = {},
  pages: unknown[] = [],
): CommandContext {
  const queue = [...pages];
  const requested: string[] = [];
  return {
    args,
    params,
    instance: "test",
    api: {
      baseUrl: "https://management.azure.com",
      request: async () => undefined as never,
      get: async (path: string) => {
        requested.push(path);
        return queue.shift() as never;
      },
      getText: async (path: string, query: Record<string, unknown> = {}) => {
        const defined = Object.entries(query).filter(([, value]) => value !== undefined && value !== "");
        requested.push(
          `${path}?${new URLSearchParams(Object.fromEntries(defined.map(([key, value]) => [key, String(value)])))}`,
        );
        return queue.shift() as string;
      },
    },
    apiFor: () => {
      throw new Error("no additional resources here");
    },
    formatCommand: (command: string) => `!${command}`,
    requested,
  } as CommandContext & { requested: string[] };
}

describe("command helpers", () => {
  it("argumentOrParameter prefers the argument and names both when neither is set", () => {
    const definition = { key: "subscription_id", displayName: "Default Subscription ID" };
    expect(
      argumentOrParameter(
        context({ subscription_id: "a" }, { subscription_id: "b" }),
        "subscription_id",
        definition,
      ),
    ).toBe("a");
    expect(argumentOrParameter(context({}, { subscription_id: "b" }), "subscription_id", definition)).toBe(
      "b",
    );
    expect(() => argumentOrParameter(context({}), "subscription_id", definition)).toThrow(
      "Default Subscription ID is not set: add subscription_id=<value> to the command or set the instance parameter subscription_id.",
    );
  });

  it("limitArgument checks the range", () => {
    expect(limitArgument(context({}), 100)).toBe(50);
    expect(limitArgument(context({ limit: "7" }), 100)).toBe(7);
    expect(() => limitArgument(context({ limit: "0" }), 100)).toThrow(
      "limit must be a whole number from 1 to 100",
    );
  });

  it("collectPages follows nextLink and @odata.nextLink up to the limit", async () => {
    const ctx = context({}, {}, [
      { value: [1, 2], nextLink: "https://management.azure.com/page2" },
      { value: [3], "@odata.nextLink": "https://management.azure.com/page3" },
      { value: [4] },
    ]);
    expect(await collectPages(ctx.api, "/first", {})).toEqual({ items: [1, 2, 3, 4] });
    const limited = context({}, {}, [
      { value: [1, 2], nextLink: "https://management.azure.com/page2" },
      { value: [3] },
    ]);
    expect(await collectPages(limited.api, "/first", {}, 2)).toEqual({
      items: [1, 2],
      nextLink: "https://management.azure.com/page2",
    });
  });
});

describe("listStorageEntries", () => {
  const page = (names: string[], next?: string) =>
    `<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Queues>${names
      .map((name) => `<Queue><Name>${name}</Name></Queue>`)
      .join("")}</Queues><NextMarker>${next ?? ""}</NextMarker></EnumerationResults>`;

  it("follows NextMarker until the limit, asking each page for what is still missing", async () => {
    const ctx = context({}, {}, [page(["a", "b"], "/acct/c"), page(["c", "d"], "/acct/e"), page(["e"])]);
    const { entries, nextMarker } = await listStorageEntries(ctx.api, {
      path: "/",
      collection: "Queues",
      entries: ["Queue"],
      limit: 3,
      query: { prefix: "x" },
    });
    expect(entries.map((entry) => xmlText(entry, "Name"))).toEqual(["a", "b", "c"]);
    expect(nextMarker).toBe("/acct/e");
    expect((ctx as unknown as { requested: string[] }).requested).toEqual([
      "/?prefix=x&comp=list&maxresults=3",
      "/?prefix=x&comp=list&maxresults=1&marker=%2Facct%2Fc",
    ]);
  });

  it("stops at the last page, and says so when a listing is not XML", async () => {
    const ctx = context({}, {}, [page(["a"]), "<html>login</p>"]);
    const listing = { path: "/", collection: "Queues", entries: ["Queue"], limit: 10 };
    expect(await listStorageEntries(ctx.api, listing)).toEqual({
      entries: [expect.objectContaining({ name: "Queue" })],
    });
    await expect(listStorageEntries(ctx.api, listing)).rejects.toThrow(
      /storage service answered with a body that is not XML .*<html>login/,
    );
  });
});

describe("ARM paths and storage names", () => {
  it("builds subscription and resource group paths from arguments, else parameters, naming what is missing", () => {
    const params = { subscription_id: "sub 1", resource_group_name: "rg-a" };
    expect(subscriptionPath(context({}, params))).toBe("/subscriptions/sub%201");
    expect(resourceGroupPath(context({ resource_group_name: "rg-b" }, params))).toBe(
      "/subscriptions/sub%201/resourceGroups/rg-b",
    );
    expect(
      resourceGroupPath(context({}, { subscriptionID: "s", resourceGroupName: "g" }), {
        subscription: { key: "subscriptionID", displayName: "Subscription ID" },
        resourceGroup: { key: "resourceGroupName", displayName: "Resource Group Name" },
      }),
    ).toBe("/subscriptions/s/resourceGroups/g");
    expect(() => resourceGroupPath(context({}, {}))).toThrow(
      "Default Subscription ID is not set: add subscription_id=<value> to the command or set the instance parameter subscription_id.",
    );
    expect(() => resourceGroupPath(context({}, { subscription_id: "s" }))).toThrow(
      "Default Resource Group Name is not set",
    );
  });

  it("accepts container, share and queue names Azure accepts, and says why it refuses the others", () => {
    expect(storageName(context({ queue_name: "alerts-2" }), "queue_name", "queue")).toBe("alerts-2");
    for (const bad of ["ab", "Alerts", "a--b", "-ab", "ab-", "a".repeat(64), ""]) {
      expect(() => storageName(context({ queue_name: bad }), "queue_name", "queue"), bad).toThrow(
        `queue_name "${bad}" is not a queue name: use 3-63 lower-case letters, digits and single dashes.`,
      );
    }
  });
});
