import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import {
  ARM_DEMO_SECOND_SUBSCRIPTION_ID,
  ARM_DEMO_SUBSCRIPTION_ID,
} from "../src/services/arm-infrastructure.js";
import { clientCredentialsToken } from "./helpers.js";

const ARM_SCOPE = "https://management.azure.com/.default";
const GROUP = `/subscriptions/${ARM_DEMO_SUBSCRIPTION_ID}/resourceGroups/msint-demo`;

let emulator: RunningEmulator;
let token: string;
let noGrantToken: string;

beforeAll(async () => {
  emulator = await startEmulator();
  token = await clientCredentialsToken(emulator, { scope: ARM_SCOPE });
  noGrantToken = await clientCredentialsToken(emulator, {
    scope: ARM_SCOPE,
    client_id: DEMO_NO_GRANT_CLIENT_ID,
    client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
  });
});
afterAll(() => emulator.close());

/** A request to Resource Manager, addressed as management.azure.com (the harness's x-forwarded-host). */
async function arm(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token ?? token}`,
      "x-forwarded-host": "management.azure.com",
      ...(options.body ? { "content-type": "application/json" } : {}),
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe("Microsoft.Resources", () => {
  it("lists the two seeded subscriptions (Subscriptions - List, api-version 2022-12-01)", async () => {
    const { status, body } = await arm("GET", "/subscriptions?api-version=2022-12-01");
    expect(status).toBe(200);
    expect(body.value.map((entry: { subscriptionId: string }) => entry.subscriptionId)).toEqual([
      ARM_DEMO_SUBSCRIPTION_ID,
      ARM_DEMO_SECOND_SUBSCRIPTION_ID,
    ]);
  });

  it("an identity without any role sees no subscription, and gets AuthorizationFailed for resource groups", async () => {
    expect((await arm("GET", "/subscriptions?api-version=2020-01-01", { token: noGrantToken })).body).toEqual(
      {
        value: [],
      },
    );
    const { status, body } = await arm(
      "GET",
      `/subscriptions/${ARM_DEMO_SUBSCRIPTION_ID}/resourcegroups?api-version=2021-04-01`,
      { token: noGrantToken },
    );
    expect(status).toBe(403);
    expect(body.error.code).toBe("AuthorizationFailed");
    expect(body.error.message).toContain(
      "does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/read'",
    );
  });

  it("filters resource groups by tag and pages with $top", async () => {
    const path = `/subscriptions/${ARM_DEMO_SUBSCRIPTION_ID}/resourcegroups`;
    const tagged = await arm(
      "GET",
      `${path}?api-version=2021-04-01&$filter=${encodeURIComponent("tagName eq 'Environment' and tagValue eq 'prod'")}`,
    );
    expect(tagged.body.value.map((group: { name: string }) => group.name)).toEqual(["soc-rg"]);
    const first = await arm("GET", `${path}?api-version=2021-04-01&$top=1`);
    expect(first.body.value).toHaveLength(1);
    expect(first.body.nextLink).toMatch(/^https:\/\/management\.azure\.com\/subscriptions\/.*\$skiptoken=1/);
  });

  it("checks the api-version as ARM does", async () => {
    const missing = await arm("GET", `/subscriptions/${ARM_DEMO_SUBSCRIPTION_ID}/resourcegroups`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("MissingApiVersionParameter");
    const unsupported = await arm(
      "GET",
      `${GROUP}/providers/Microsoft.Compute/virtualMachines?api-version=2099-01-01`,
    );
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe("NoRegisteredProviderFound");
    expect(unsupported.body.error.message).toContain("API version '2099-01-01' for type 'virtualMachines'");
    const invalid = await arm("GET", `/subscriptions?api-version=latest`);
    expect(invalid.body.error.code).toBe("InvalidApiVersionParameter");
  });

  it("answers 404 for an unknown subscription, resource group and resource", async () => {
    const sub = await arm(
      "GET",
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups?api-version=2021-04-01",
    );
    expect(sub.body.error.code).toBe("SubscriptionNotFound");
    const group = await arm(
      "GET",
      `/subscriptions/${ARM_DEMO_SUBSCRIPTION_ID}/resourceGroups/nope/providers/Microsoft.Sql/servers?api-version=2021-11-01`,
    );
    expect(group.body.error).toEqual({
      code: "ResourceGroupNotFound",
      message: "Resource group 'nope' could not be found.",
    });
    const resource = await arm(
      "GET",
      `${GROUP}/providers/Microsoft.Compute/virtualMachines/nope?api-version=2023-03-01`,
    );
    expect(resource.status).toBe(404);
    expect(resource.body.error.code).toBe("ResourceNotFound");
  });
});

describe("providers", () => {
  it("starts a VM: 202 with Azure-AsyncOperation, and the instance view shows it running", async () => {
    const vm = `${GROUP}/providers/Microsoft.Compute/virtualMachines/dc-01`;
    const before = await arm("GET", `${vm}?api-version=2023-03-01&$expand=instanceView`);
    expect(before.body.properties.instanceView.statuses[1].code).toBe("PowerState/deallocated");
    const started = await arm("POST", `${vm}/start?api-version=2023-03-01`);
    expect(started.status).toBe(202);
    const operation = started.headers.get("azure-asyncoperation")!;
    expect(operation).toMatch(
      /^https:\/\/management\.azure\.com\/subscriptions\/.*\/providers\/Microsoft\.Compute\/locations\/westeurope\/operations\//,
    );
    const status = await arm("GET", new URL(operation).pathname + new URL(operation).search);
    expect(status.body.status).toBe("Succeeded");
    const after = await arm("GET", `${vm}?api-version=2023-03-01&$expand=instanceView`);
    expect(after.body.properties.instanceView.statuses[1].displayStatus).toBe("VM running");
  });

  it("deletes a nested resource (202), then lists without it; a Reader-less identity is refused", async () => {
    const rules = `${GROUP}/providers/Microsoft.Network/networkSecurityGroups/db-nsg/securityRules`;
    const refused = await arm("DELETE", `${rules}/allow-sql-from-web?api-version=2022-09-01`, {
      token: noGrantToken,
    });
    expect(refused.body.error.message).toContain(
      "'Microsoft.Network/networkSecurityGroups/securityRules/delete'",
    );
    expect((await arm("DELETE", `${rules}/allow-sql-from-web?api-version=2022-09-01`)).status).toBe(202);
    expect((await arm("GET", `${rules}?api-version=2022-09-01`)).body.value).toEqual([]);
    expect((await arm("DELETE", `${rules}/allow-sql-from-web?api-version=2022-09-01`)).status).toBe(204);
  });

  it("creates a resource with PUT (201), then updates it (200)", async () => {
    const policy = `${GROUP}/providers/Microsoft.Network/ipGroups/ipg-new?api-version=2022-09-01`;
    const created = await arm("PUT", policy, {
      body: { location: "westeurope", properties: { ipAddresses: ["10.1.0.0/16"] } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "ipg-new", type: "Microsoft.Network/ipGroups" });
    const updated = await arm("PUT", policy, { body: { properties: { ipAddresses: ["10.2.0.0/16"] } } });
    expect(updated.status).toBe(200);
    expect(updated.body.properties.ipAddresses).toEqual(["10.2.0.0/16"]);
  });

  it("Blob Containers - List stops at $maxpagesize without a continuation token, as the Storage RP does", async () => {
    const containers = `${GROUP}/providers/Microsoft.Storage/storageAccounts/msintdemostorage/blobServices/default/containers`;
    const { body } = await arm("GET", `${containers}?api-version=2022-09-01&$maxpagesize=1`);
    expect(body.value.map((entry: { name: string }) => entry.name)).toEqual(["evidence"]);
    expect(body.nextLink).toBeUndefined();
  });

  it("a nested list under a missing parent answers ParentResourceNotFound", async () => {
    const { status, body } = await arm(
      "GET",
      `${GROUP}/providers/Microsoft.Sql/servers/nope/databases?api-version=2021-11-01`,
    );
    expect(status).toBe(404);
    expect(body.error.code).toBe("ParentResourceNotFound");
  });
});
