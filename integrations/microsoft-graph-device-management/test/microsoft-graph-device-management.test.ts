import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const DEVICE = {
  id: "3a2b1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  deviceName: "DESKTOP-ADELE",
  userPrincipalName: "adelev@contoso.onmicrosoft.com",
  operatingSystem: "Windows",
  osVersion: "10.0.22631.3447",
  complianceState: "noncompliant",
  lastSyncDateTime: "2024-05-01T10:00:00Z",
};

let harness: Harness;
const actions: string[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: {
      graph: [
        "DeviceManagementManagedDevices.ReadWrite.All",
        "DeviceManagementManagedDevices.PrivilegedOperations.All",
      ],
    },
  });
  const { emulator } = harness;
  const read = {
    resource: "graph",
    roles: ["DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/deviceManagement/managedDevices", read, (ctx) =>
    ctx.json(200, { value: [DEVICE] }),
  );
  emulator.addRoute("GET", "/v1.0/deviceManagement/managedDevices/:id", read, (ctx) => ctx.json(200, DEVICE));
  emulator.addRoute(
    "POST",
    "/v1.0/deviceManagement/managedDevices/:id/:action",
    { resource: "graph", roles: ["DeviceManagementManagedDevices.PrivilegedOperations.All"] },
    (ctx) => {
      actions.push(ctx.params["action"]!);
      return ctx.empty(204);
    },
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("managed devices", () => {
  it("msgraph-list-managed-devices", async () => {
    const result = await harness.run("msgraph-list-managed-devices", {
      filter: "operatingSystem eq 'Windows'",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/deviceManagement/managedDevices",
      query: { $top: "10", $filter: "operatingSystem eq 'Windows'" },
    });
    expect(result.readable).toContain(
      `|${DEVICE.id}|DESKTOP-ADELE|adelev@contoso.onmicrosoft.com|Windows|10.0.22631.3447|noncompliant|`,
    );
    expect(result.outputsPrefix).toBe("MSGraphDeviceManagement.Device");
  });

  it("msgraph-get-managed-device-by-id in a national cloud (DoD)", async () => {
    await harness.run("msgraph-get-managed-device-by-id", { device_id: DEVICE.id }, { azure_cloud: "DoD" });
    expect(harness.lastCall()).toMatchObject({
      host: "dod-graph.microsoft.us",
      path: `/v1.0/deviceManagement/managedDevices/${DEVICE.id}`,
    });
  });

  it("remote actions POST to the device", async () => {
    const result = await harness.run("msgraph-device-reboot-now", { device_id: DEVICE.id });
    await harness.run("msgraph-sync-device", { device_id: DEVICE.id });
    expect(harness.calls.map((call) => [call.method, call.path])).toEqual([
      ["POST", `/v1.0/deviceManagement/managedDevices/${DEVICE.id}/rebootNow`],
      ["POST", `/v1.0/deviceManagement/managedDevices/${DEVICE.id}/syncDevice`],
    ]);
    expect(actions).toEqual(["rebootNow", "syncDevice"]);
    expect(result.readable).toBe(`Reboot request to the device ${DEVICE.id} was sent successfully.`);
  });
});

describe("auth errors", () => {
  it("an app that may read but not run privileged operations is denied the reboot", async () => {
    await expect(
      harness.runWithToken(
        "msgraph-device-reboot-now",
        { device_id: DEVICE.id },
        { roles: ["DeviceManagementManagedDevices.Read.All"] },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
