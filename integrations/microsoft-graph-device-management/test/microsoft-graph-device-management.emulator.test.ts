// Microsoft Graph Device Management against the emulator's built-in Graph doubles and their seeded Intune managed
// devices (no routes added by the test): client credentials, the machine's managed identity and a national cloud.
// Request shapes from learn.microsoft.com/graph/api: intune-devices-manageddevice-list (GET
// /deviceManagement/managedDevices, $top, $filter), intune-devices-manageddevice-get (GET …/managedDevices/{id}),
// intune-devices-manageddevice-syncdevice, -rebootnow and -remotelock (POST …/managedDevices/{id}/{action}, no
// body, 204 No Content).
import { type Harness, NO_GRANT_PARAMS, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const LAPTOP = "4f9c7b8a-2d1e-4c3b-9a8f-7e6d5c4b3a21";
const IPHONE = "8a7b6c5d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";

let harness: Harness;

const noGrantParams = () => ({ ...NO_GRANT_PARAMS });

beforeAll(async () => {
  harness = await startHarness(integration);
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

describe("commands through client credentials", () => {
  it("msgraph-list-managed-devices filters the seeded devices", async () => {
    const result = await harness.run("msgraph-list-managed-devices", {
      filter: "operatingSystem eq 'Windows'",
      limit: "20",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/deviceManagement/managedDevices",
      query: { $top: "20", $filter: "operatingSystem eq 'Windows'" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: LAPTOP,
        Name: "DESKTOP-ADELE01",
        UserPrincipalName: "adelev@contoso.onmicrosoft.com",
        OperatingSystem: "Windows",
        ComplianceState: "compliant",
      }),
    ]);
  });

  it("msgraph-get-managed-device-by-id reads one device", async () => {
    const result = await harness.run("msgraph-get-managed-device-by-id", { device_id: IPHONE });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/deviceManagement/managedDevices/${IPHONE}`,
    });
    expect(result.outputs).toMatchObject({ Name: "Megan's iPhone", ComplianceState: "noncompliant" });
    await expect(
      harness.run("msgraph-get-managed-device-by-id", { device_id: "no-such-device" }),
    ).rejects.toThrow("ResourceNotFound: No entity with the key 'no-such-device'");
  });

  it.each([
    ["msgraph-sync-device", "syncDevice", "Sync"],
    ["msgraph-device-reboot-now", "rebootNow", "Reboot"],
    ["msgraph-device-remote-lock", "remoteLock", "Remote lock"],
    ["msgraph-device-shutdown", "shutDown", "Shutdown"],
    ["msgraph-device-disable-lost-mode", "disableLostMode", "Disable lost mode"],
    ["msgraph-locate-device", "locateDevice", "Locate device"],
    ["msgraph-device-bypass-activation-lock", "bypassActivationLock", "Bypass activation lock"],
    ["msgraph-device-retire", "retire", "Retire"],
    ["msgraph-device-reset-passcode", "resetPasscode", "Reset passcode"],
    ["msgraph-device-request-remote-assistance", "requestRemoteAssistance", "Request remote assistance"],
    ["msgraph-device-recover-passcode", "recoverPasscode", "Recover passcode"],
    [
      "msgraph-logout-shared-apple-device-active-user",
      "logoutSharedAppleDeviceActiveUser",
      "Logout shared Apple device active user",
    ],
    [
      "msgraph-windows-device-defender-update-signatures",
      "windowsDefenderUpdateSignatures",
      "Windows device defender update signatures",
    ],
  ])("%s posts %s with no body; the device then shows the pending action", async (command, action, label) => {
    const result = await harness.run(command, { device_id: LAPTOP });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "POST",
      path: `/v1.0/deviceManagement/managedDevices/${LAPTOP}/${action}`,
    });
    expect(call.body).toBeUndefined();
    expect(result.readable).toBe(`${label} request to the device ${LAPTOP} was sent successfully.`);
    const device = await harness.run("msgraph-get-managed-device-by-id", { device_id: LAPTOP });
    expect((device.raw as { deviceActionResults: unknown[] }).deviceActionResults).toContainEqual(
      expect.objectContaining({ actionName: action, actionState: "pending" }),
    );
  });

  // The actions with parameters: intune-devices-manageddevice-wipe, -cleanwindowsdevice, -windowsdefenderscan,
  // -deleteuserfromsharedappledevice and -updatewindowsdeviceaccount document their JSON request bodies.
  it.each([
    [
      "msgraph-wipe-device",
      { keep_user_data: "false", mac_os_unlock_code: "123456" },
      "wipe",
      { keepEnrollmentData: true, keepUserData: false, macOsUnlockCode: "123456" },
    ],
    [
      "msgraph-clean-windows-device",
      { keep_user_data: "false" },
      "cleanWindowsDevice",
      { keepUserData: false },
    ],
    [
      "msgraph-windows-device-defender-scan",
      { quick_scan: "false" },
      "windowsDefenderScan",
      { quickScan: false },
    ],
    [
      "msgraph-delete-user-from-shared-apple-device",
      { user_principal_name: "meganb@contoso.onmicrosoft.com" },
      "deleteUserFromSharedAppleDevice",
      { userPrincipalName: "meganb@contoso.onmicrosoft.com" },
    ],
    [
      "msgraph-update-windows-device-account",
      {
        session_initiation_protocal_address: "sip:hub@contoso.com",
        exchange_server: "outlook.office365.com",
        device_account_password: "not-a-real-password",
        device_account_email: "hub@contoso.com",
        calendar_sync_enabled: "true",
      },
      "updateWindowsDeviceAccount",
      {
        updateWindowsDeviceAccountActionParameter: {
          "@odata.type": "microsoft.graph.updateWindowsDeviceAccountActionParameter",
          deviceAccount: {
            "@odata.type": "microsoft.graph.windowsDeviceAccount",
            password: "not-a-real-password",
          },
          passwordRotationEnabled: false,
          calendarSyncEnabled: true,
          deviceAccountEmail: "hub@contoso.com",
          exchangeServer: "outlook.office365.com",
          sessionInitiationProtocalAddress: "sip:hub@contoso.com",
        },
      },
    ],
  ])("%s posts %s with its parameters", async (command, args, action, body) => {
    const result = await harness.run(command, { device_id: LAPTOP, ...args });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/deviceManagement/managedDevices/${LAPTOP}/${action}`,
      body,
    });
    expect(result.readable).toContain(`request to the device ${LAPTOP} was sent successfully.`);
    const device = await harness.run("msgraph-get-managed-device-by-id", { device_id: LAPTOP });
    expect((device.raw as { deviceActionResults: unknown[] }).deviceActionResults).toContainEqual(
      expect.objectContaining({ actionName: action, actionState: "pending" }),
    );
  });

  it("msgraph-find-managed-devices-by-name filters on deviceName", async () => {
    const result = await harness.run("msgraph-find-managed-devices-by-name", {
      device_name: "DESKTOP-ADELE01",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/v1.0/deviceManagement/managedDevices",
      query: { $filter: "deviceName eq 'DESKTOP-ADELE01'" },
    });
    expect(result.outputs).toEqual([expect.objectContaining({ ID: LAPTOP, Name: "DESKTOP-ADELE01" })]);
  });

  it("the old msint name msgraph-device-list-managed-devices still runs, with a notice", async () => {
    const result = await harness.run("msgraph-device-list-managed-devices", {});
    expect(result.notices).toContain(
      "msgraph-device-list-managed-devices is deprecated and goes in the next release: use msgraph-list-managed-devices.",
    );
    expect(harness.lastCall()).toMatchObject({
      path: "/v1.0/deviceManagement/managedDevices",
      query: { $top: "10" },
    });
    expect(result.outputs).toHaveLength(3);
  });
});

describe("other flows", () => {
  it("the machine's managed identity lists devices", async () => {
    const result = await harness.run(
      "msgraph-list-managed-devices",
      {},
      { use_managed_identities: true, self_deployed: true },
    );
    expect(result.outputs).toHaveLength(3);
    expect(harness.requests.some((request) => request.path.includes("/metadata/identity/oauth2/token"))).toBe(
      true,
    );
  });

  it("US GCC-High: the instance calls graph.microsoft.us", async () => {
    const result = await harness.run(
      "msgraph-get-managed-device-by-id",
      { device_id: LAPTOP },
      { azure_cloud: "US GCC-High" },
    );
    expect(harness.lastCall()).toMatchObject({ host: "graph.microsoft.us" });
    expect(result.outputs).toMatchObject({ ID: LAPTOP });
  });
});

describe("-test and the permission diagnosis", () => {
  it("-test reads managed devices at the emulator and names what it reached", async () => {
    const result = await harness.run("msgraph-device-test");
    expect(harness.emulator.requests.filter((request) => request.service === "graph").length).toBeGreaterThan(
      0,
    );
    expect(result.readable).toContain(
      "- Microsoft Graph: GET graph.microsoft.com/v1.0/deviceManagement/managedDevices → 200",
    );
  });

  it("-auth-test with an app without DeviceManagementManagedDevices.Read.All fails naming it", async () => {
    await expect(harness.run("msgraph-device-auth-test", {}, noGrantParams())).rejects.toThrow(
      /lacks the application permission DeviceManagementManagedDevices\.Read\.All/,
    );
  });

  it("a command's 403 names the permission that command needs", async () => {
    const error = await harness
      .run("msgraph-device-remote-lock", { device_id: LAPTOP }, noGrantParams())
      .catch((caught: Error) => caught);
    expect(String(error)).toContain("Authorization_RequestDenied");
    expect(String(error)).toContain(
      "msgraph-device-remote-lock needs: application permission DeviceManagementManagedDevices.PrivilegedOperations.All",
    );
  });
});
