import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// The emulator's seeded Resource Manager (packages/entra-emulator/src/services/arm-infrastructure-seed.ts).
const SUBSCRIPTION = "1b2c3d4e-5f60-4718-829a-abcdef012345";
const GROUP = "msint-demo";
const VMS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Compute/virtualMachines`;
// The emulator's app without any grant or role (DEMO_NO_GRANT_CLIENT_ID / _SECRET of its seed).
const NO_GRANT = {
  auth_id: "b31782f3-d07c-4c24-a16e-f7b286db2553",
  enc_key: "demo-nogrant-secret-not-for-production",
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    params: { subscription_id: SUBSCRIPTION, resource_group: GROUP },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

/** The API requests the emulator answered for Resource Manager since the last clear. */
const armRequests = () => harness.emulator.requests.filter((entry) => entry.service === "arm");

describe("Azure Compute v2 against the emulator's Resource Manager (client credentials)", () => {
  it("azure-vm-list-instances lists the seeded VMs", async () => {
    const result = await harness.run("azure-vm-list-instances");
    // Virtual Machines - List: GET …/providers/Microsoft.Compute/virtualMachines?api-version=2023-03-01
    // (learn.microsoft.com/rest/api/compute/virtual-machines/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "management.azure.com",
      path: VMS,
      query: { "api-version": "2023-03-01" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        Name: "web-01",
        Size: "Standard_D2s_v3",
        OS: "Linux",
        Location: "westeurope",
      }),
      expect.objectContaining({ Name: "dc-01", Size: "Standard_B2ms", OS: "Windows", ResourceGroup: GROUP }),
    ]);
    expect(result.readable).toContain("|web-01|");
  });

  it("azure-vm-get-instance-details, -start-instance and -poweroff-instance change the power state a get shows", async () => {
    const details = await harness.run("azure-vm-get-instance-details", { virtual_machine_name: "dc-01" });
    // Virtual Machines - Get with $expand=instanceView (learn.microsoft.com/rest/api/compute/virtual-machines/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `${VMS}/dc-01`,
      query: { "api-version": "2023-03-01", $expand: "instanceView" },
    });
    expect(details.outputs).toMatchObject({ Name: "dc-01", PowerState: "VM deallocated" });

    const started = await harness.run("azure-vm-start-instance", { virtual_machine_name: "dc-01" });
    // Virtual Machines - Start: POST …/{vmName}/start (learn.microsoft.com/rest/api/compute/virtual-machines/start).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${VMS}/dc-01/start`,
      query: { "api-version": "2023-03-01" },
    });
    expect(started.readable).toContain('Power-on of Virtual Machine "dc-01" Successfully Initiated');
    expect(
      (await harness.run("azure-vm-get-instance-details", { virtual_machine_name: "dc-01" })).outputs,
    ).toMatchObject({
      PowerState: "VM running",
    });

    const stopped = await harness.run("azure-vm-poweroff-instance", {
      virtual_machine_name: "dc-01",
      skip_shutdown: "true",
    });
    // Virtual Machines - Power Off: POST …/powerOff?skipShutdown=true (…/virtual-machines/power-off).
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `${VMS}/dc-01/powerOff`,
      query: { "api-version": "2023-03-01", skipShutdown: "true" },
    });
    expect(stopped.outputs).toEqual({ Name: "dc-01", ResourceGroup: GROUP, PowerState: "VM stopping" });
    expect(
      (await harness.run("azure-vm-get-instance-details", { virtual_machine_name: "dc-01" })).outputs,
    ).toMatchObject({
      PowerState: "VM stopped",
    });
  });

  it("azure-vm-get-instance-details with expand=userData returns the VM's user data", async () => {
    const result = await harness.run("azure-vm-get-instance-details", {
      virtual_machine_name: "web-01",
      expand: "userData",
    });
    expect(harness.lastCall().query).toMatchObject({ $expand: "userData" });
    expect(
      Buffer.from(String((result.outputs as { UserData: string }).UserData), "base64").toString(),
    ).toContain("hostname: web-01");
  });

  it("azure-list-resource-groups lists the subscription's seeded groups", async () => {
    const result = await harness.run("azure-list-resource-groups");
    // Resource Groups - List: GET /subscriptions/{id}/resourcegroups?api-version=2021-04-01
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
      query: { "api-version": "2021-04-01" },
    });
    expect(result.outputs).toEqual([
      {
        Name: "msint-demo",
        ID: `/subscriptions/${SUBSCRIPTION}/resourceGroups/msint-demo`,
        Location: "westeurope",
        ProvisioningState: "Succeeded",
      },
      {
        Name: "soc-rg",
        ID: `/subscriptions/${SUBSCRIPTION}/resourceGroups/soc-rg`,
        Location: "eastus",
        ProvisioningState: "Succeeded",
      },
    ]);
  });

  it("azure-list-resource-groups filters by XSOAR's tag argument", async () => {
    const result = await harness.run("azure-list-resource-groups", { tag: '{"Environment":"prod"}' });
    // Resource Groups - List with $filter=tagName eq '…' and tagValue eq '…'
    // (learn.microsoft.com/rest/api/resources/resource-groups/list).
    expect(harness.lastCall().query).toMatchObject({
      $filter: "tagName eq 'Environment' and tagValue eq 'prod'",
    });
    expect((result.outputs as Array<{ Name: string }>).map((group) => group.Name)).toEqual(["soc-rg"]);
  });

  it("the old name azure-vm-list-resource-groups still runs, with a deprecation notice", async () => {
    const result = await harness.run("azure-vm-list-resource-groups");
    expect(harness.lastCall().path).toBe(`/subscriptions/${SUBSCRIPTION}/resourcegroups`);
    expect(result.notices).toEqual([
      "azure-vm-list-resource-groups is deprecated and goes in the next release: use azure-list-resource-groups.",
    ]);
  });

  it("azure-list-subscriptions lists the seeded subscriptions", async () => {
    const result = await harness.run("azure-list-subscriptions");
    // Subscriptions - List: GET /subscriptions?api-version=2020-01-01 (learn.microsoft.com/rest/api/resources/subscriptions/list).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/subscriptions",
      query: { "api-version": "2020-01-01" },
    });
    expect(result.outputs).toEqual(
      expect.arrayContaining([{ ID: SUBSCRIPTION, Name: "msint Demo Production", State: "Enabled" }]),
    );
  });

  it("an unknown VM answers ARM's ResourceNotFound", async () => {
    await expect(
      harness.run("azure-vm-get-instance-details", { virtual_machine_name: "nope" }),
    ).rejects.toThrow("ResourceNotFound");
  });

  it("azure-vm-get-public-ip-details and -get-all-public-ip-details read the seeded public IP", async () => {
    const one = await harness.run("azure-vm-get-public-ip-details", { address_name: "fw-hub-pip" });
    // Public IP Addresses - Get: GET …/providers/Microsoft.Network/publicIPAddresses/{name}?api-version=2022-09-01
    // (learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/get).
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Network/publicIPAddresses/fw-hub-pip`,
      query: { "api-version": "2022-09-01" },
    });
    expect(one.outputs).toEqual([
      expect.objectContaining({
        PublicConfigName: "fw-hub-pip",
        PublicIPAddress: "20.50.10.4",
        PublicIPAddressAllocationMethod: "Static",
        PublicIPAddressVersion: "IPv4",
        ResourceGroup: GROUP,
      }),
    ]);
    const all = await harness.run("azure-vm-get-all-public-ip-details");
    // Public IP Addresses - List All: GET /subscriptions/{id}/providers/Microsoft.Network/publicIPAddresses
    // (learn.microsoft.com/rest/api/virtualnetwork/public-ip-addresses/list-all).
    expect(harness.lastCall()).toMatchObject({
      path: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Network/publicIPAddresses`,
      query: { "api-version": "2022-09-01" },
    });
    expect(all.readable).toContain("|fw-hub-pip|20.50.10.4|Static|IPv4|");
  });

  // Last of this block: dc-01 is gone afterwards.
  it("azure-vm-delete-instance deletes a VM: a later list no longer shows it", async () => {
    const result = await harness.run("azure-vm-delete-instance", { virtual_machine_name: "dc-01" });
    // Virtual Machines - Delete: DELETE …/virtualMachines/{name}?api-version=2023-03-01
    // (learn.microsoft.com/rest/api/compute/virtual-machines/delete).
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `${VMS}/dc-01`,
      query: { "api-version": "2023-03-01" },
    });
    expect(result.readable).toBe('"dc-01" VM Deletion Successfully Initiated');
    const after = await harness.run("azure-vm-list-instances");
    expect((after.outputs as Array<{ Name: string }>).map((vm) => vm.Name)).toEqual(["web-01"]);
  });
});

describe("azure-vm-test and azure-vm-auth-test", () => {
  it("azure-vm-test reads Resource Manager and names what it reached", async () => {
    const result = await harness.run("azure-vm-test");
    expect(armRequests().length).toBeGreaterThanOrEqual(1);
    expect(armRequests()[0]).toMatchObject({
      method: "GET",
      path: `/subscriptions/${SUBSCRIPTION}/resourcegroups`,
    });
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(
      `- Azure Resource Manager: GET management.azure.com/subscriptions/${SUBSCRIPTION}/resourcegroups → 200`,
    );
  });

  it("azure-vm-test with an identity without an Azure role fails naming the role", async () => {
    const failure = harness.run("azure-vm-test", {}, NO_GRANT);
    await expect(failure).rejects.toThrow("HTTP 403");
    await expect(harness.run("azure-vm-test", {}, NO_GRANT)).rejects.toThrow("the Azure role Reader");
  });

  it("a 403 of azure-vm-start-instance names its Azure role", async () => {
    await expect(
      harness.run("azure-vm-start-instance", { virtual_machine_name: "web-01" }, NO_GRANT),
    ).rejects.toThrow(
      /AuthorizationFailed[\s\S]*azure-vm-start-instance needs: Azure role Virtual Machine Contributor/,
    );
  });

  it("azure-vm-auth-test of an app without any role cannot see Azure RBAC in its token: it names the roles, -test then fails", async () => {
    const result = await harness.run("azure-vm-auth-test", {}, NO_GRANT);
    expect(result.readable).toContain("Granted in the token, Application (roles): none.");
    expect(result.readable).toContain(
      "the identity needs Reader, or Virtual Machine Contributor, or Contributor",
    );
    await expect(harness.run("azure-vm-test", {}, NO_GRANT)).rejects.toThrow("Access control (IAM)");
  });

  it("azure-vm-auth-test prints the Azure role the commands need (RBAC is not in the token)", async () => {
    const result = await harness.run("azure-vm-auth-test");
    expect(result.readable).toContain("Azure RBAC (checked by the service, not in the token)");
    expect(result.readable).toContain("Virtual Machine Contributor");
  });
});

describe("an app that is only a Reader of the subscription", () => {
  let reader: Harness;
  beforeAll(async () => {
    // Azure RBAC: the emulator takes the app's `arm` grants as its role assignments.
    reader = await startHarness(integration, {
      params: { subscription_id: SUBSCRIPTION, resource_group: GROUP },
      grants: { arm: ["Reader"] },
    });
  });
  afterAll(() => reader.close());

  it("lists VMs, and azure-vm-poweroff-instance answers 403 naming Virtual Machine Contributor", async () => {
    expect((await reader.run("azure-vm-list-instances")).outputs).toHaveLength(2);
    await expect(
      reader.run("azure-vm-poweroff-instance", { virtual_machine_name: "web-01" }),
    ).rejects.toThrow(
      /'Microsoft\.Compute\/virtualMachines\/powerOff\/action'[\s\S]*azure-vm-poweroff-instance needs: Azure role Virtual Machine Contributor, or Contributor/,
    );
    const vm = await reader.run("azure-vm-get-instance-details", { virtual_machine_name: "web-01" });
    expect(vm.outputs).toMatchObject({ PowerState: "VM running" });
  });
});
