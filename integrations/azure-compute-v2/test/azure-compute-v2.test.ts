import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const GROUP = "soc-rg";
const VMS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Compute/virtualMachines`;
const VM = {
  id: `${VMS}/web-01`,
  name: "web-01",
  location: "westeurope",
  properties: {
    provisioningState: "Succeeded",
    hardwareProfile: { vmSize: "Standard_D2s_v3" },
    storageProfile: { osDisk: { osType: "Linux" } },
  },
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group: GROUP },
  });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines",
    { resource: "arm" },
    (ctx) =>
      ctx.params["rg"] === GROUP
        ? ctx.json(200, { value: [VM] })
        : ctx.error(404, "ResourceGroupNotFound", `Resource group '${ctx.params["rg"]}' could not be found.`),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name",
    { resource: "arm" },
    (ctx) =>
      ctx.json(200, {
        ...VM,
        properties: {
          ...VM.properties,
          instanceView: {
            statuses: [
              { code: "ProvisioningState/succeeded" },
              { code: "PowerState/running", displayStatus: "VM running" },
            ],
          },
        },
      }),
  );
  emulator.addRoute(
    "POST",
    "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Compute/virtualMachines/:name/:action",
    { resource: "arm" },
    (ctx) => ctx.empty(202),
  );
  // A subscription the app has no Azure RBAC role on: ARM answers 403 AuthorizationFailed.
  emulator.registerResource("arm", []);
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/resourcegroups",
    { resource: "arm", roles: ["Reader"] },
    (ctx) => ctx.json(200, { value: [] }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Azure Compute v2 manifest", () => {
  it("tells where to find the subscription ID", () => {
    expect(integration.parameter("subscription_id")?.help).toContain("Overview tab");
  });
});

describe("virtual machines", () => {
  it("azure-vm-list-instances lists the VMs of the resource group", async () => {
    const result = await harness.run("azure-vm-list-instances");
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: VMS,
      query: { "api-version": "2023-03-01" },
    });
    expect(call.headers["authorization"]).toMatch(/^Bearer /);
    expect(result.readable).toContain(
      `### Microsoft Azure - List of Virtual Machines in Resource Group ${GROUP}`,
    );
    expect(result.readable).toContain("|web-01|");
    expect(result.outputsPrefix).toBe("Azure.Compute");
    expect(result.outputs).toEqual([
      expect.objectContaining({ Name: "web-01", Size: "Standard_D2s_v3", OS: "Linux", ResourceGroup: GROUP }),
    ]);
  });

  it("azure-vm-get-instance-details expands the instance view for the power state", async () => {
    const result = await harness.run("azure-vm-get-instance-details", { virtual_machine_name: "web-01" });
    expect(harness.lastCall()).toMatchObject({
      path: `${VMS}/web-01`,
      query: { "api-version": "2023-03-01", $expand: "instanceView" },
    });
    expect(result.outputs).toMatchObject({ Name: "web-01", PowerState: "VM running" });
    expect(result.readable).toContain('### Properties of VM "web-01"');
  });

  it("azure-vm-start-instance and -poweroff-instance POST the actions", async () => {
    await harness.run("azure-vm-start-instance", {
      virtual_machine_name: "web-01",
      resource_group: "other-rg",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/other-rg/providers/Microsoft.Compute/virtualMachines/web-01/start`,
    });
    const result = await harness.run("azure-vm-poweroff-instance", {
      virtual_machine_name: "web-01",
      skip_shutdown: "true",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${VMS}/web-01/powerOff`,
      query: { skipShutdown: "true" },
    });
    expect(result.outputs).toEqual({ Name: "web-01", ResourceGroup: GROUP, PowerState: "VM stopping" });
  });

  it("reports ARM's error for an unknown resource group", async () => {
    await expect(harness.run("azure-vm-list-instances", { resource_group: "nope" })).rejects.toThrow(
      "ResourceGroupNotFound",
    );
  });

  it("needs a subscription", async () => {
    await expect(harness.run("azure-vm-list-instances", {}, { subscription_id: "" })).rejects.toThrow(
      "Default Subscription ID is not set",
    );
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails at the token endpoint with AADSTS7000215", async () => {
    await expect(harness.run("azure-vm-list-instances", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });

  it("an app without an Azure role on the subscription gets AuthorizationFailed", async () => {
    await expect(harness.run("azure-list-resource-groups")).rejects.toThrow("AuthorizationFailed");
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
  });
});
