import { type CommandContext, defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { deviceAction, getManagedDevice, listManagedDevices } from "./managed-devices.js";

const deviceOutputs = [
  { path: "MSGraphDeviceManagement.Device.ID", type: "string", description: "The managed device's ID." },
  { path: "MSGraphDeviceManagement.Device.Name", type: "string", description: "The device name." },
  {
    path: "MSGraphDeviceManagement.Device.UserPrincipalName",
    type: "string",
    description: "The primary user.",
  },
  {
    path: "MSGraphDeviceManagement.Device.OperatingSystem",
    type: "string",
    description: "Windows, iOS, Android …",
  },
  { path: "MSGraphDeviceManagement.Device.OSVersion", type: "string", description: "The OS version." },
  {
    path: "MSGraphDeviceManagement.Device.ComplianceState",
    type: "string",
    description: "compliant, noncompliant …",
  },
  {
    path: "MSGraphDeviceManagement.Device.LastSyncDateTime",
    type: "date",
    description: "The last Intune check-in.",
  },
  { path: "MSGraphDeviceManagement.Device.SerialNumber", type: "string", description: "The serial number." },
] as const;

// learn.microsoft.com/graph/api/intune-devices-manageddevice-list and -get, "Permissions":
// DeviceManagementManagedDevices.Read.All or DeviceManagementManagedDevices.ReadWrite.All.
const READ_DEVICES = {
  application: ["DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All"],
  delegated: ["DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/intune-devices-manageddevice-syncdevice, -rebootnow and -remotelock:
// DeviceManagementManagedDevices.PrivilegedOperations.All.
const DEVICE_ACTIONS = {
  application: ["DeviceManagementManagedDevices.PrivilegedOperations.All"],
  delegated: ["DeviceManagementManagedDevices.PrivilegedOperations.All"],
};

const deviceId = { name: "device_id", description: "The managed device's ID.", required: true } as const;
const flag = (name: string, description: string, defaultValue: "true" | "false") =>
  ({ name, description, predefined: ["true", "false"], defaultValue }) as const;
type DeviceArgs = CommandContext;
const bool = (context: DeviceArgs, name: string, fallback: boolean) =>
  context.args[name] === undefined ? fallback : context.args[name] === "true";

/**
 * The remote actions without parameters, by XSOAR's command name: Graph action and the readable label.
 * learn.microsoft.com/graph/api/intune-devices-manageddevice-<action> (v1.0), each "Permissions":
 * DeviceManagementManagedDevices.PrivilegedOperations.All.
 */
const SIMPLE_ACTIONS: Record<string, [action: string, label: string, description: string]> = {
  "msgraph-sync-device": ["syncDevice", "Sync", "Asks a device to check in with Intune now."],
  "msgraph-device-disable-lost-mode": ["disableLostMode", "Disable lost mode", "Disables lost mode."],
  "msgraph-locate-device": ["locateDevice", "Locate device", "Asks a device to report its location."],
  "msgraph-device-reboot-now": ["rebootNow", "Reboot", "Reboots a device."],
  "msgraph-device-shutdown": ["shutDown", "Shutdown", "Shuts a device down."],
  "msgraph-device-bypass-activation-lock": [
    "bypassActivationLock",
    "Bypass activation lock",
    "Bypasses the activation lock of an iOS device.",
  ],
  "msgraph-device-retire": ["retire", "Retire", "Retires a device (removes company data)."],
  "msgraph-device-reset-passcode": ["resetPasscode", "Reset passcode", "Resets a device's passcode."],
  "msgraph-device-remote-lock": ["remoteLock", "Remote lock", "Locks a device."],
  "msgraph-device-request-remote-assistance": [
    "requestRemoteAssistance",
    "Request remote assistance",
    "Requests remote assistance for a device.",
  ],
  "msgraph-device-recover-passcode": ["recoverPasscode", "Recover passcode", "Recovers a device's passcode."],
  "msgraph-logout-shared-apple-device-active-user": [
    "logoutSharedAppleDeviceActiveUser",
    "Logout shared Apple device active user",
    "Logs the active user out of a shared iPad.",
  ],
  "msgraph-windows-device-defender-update-signatures": [
    "windowsDefenderUpdateSignatures",
    "Windows device defender update signatures",
    "Updates the Microsoft Defender signatures of a Windows device.",
  ],
};
const simpleActions = Object.fromEntries(
  Object.entries(SIMPLE_ACTIONS).map(([name, [action, label, description]]) => [
    name,
    {
      description,
      arguments: [deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: CommandContext) => deviceAction(context, action, label),
    },
  ]),
);

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphDeviceManagement/Integrations/MicrosoftGraphDeviceManagement/integration-MicrosoftGraphDeviceManagement.yml
// (data/xsoar/microsoft-graph-device-management.json).
/** Microsoft Graph Device Management: Intune managed devices through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-graph-device-management",
  version: packageJson.version,
  displayName: "Microsoft Graph Device Management",
  commandPrefix: "msgraph-device",
  description: "Lists Intune managed devices and triggers remote actions, with XSOAR's command names.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-device-management",
  resource: graph(),
  permissions: {
    application: [
      "DeviceManagementManagedDevices.ReadWrite.All",
      "DeviceManagementManagedDevices.PrivilegedOperations.All",
    ],
  },
  deprecatedAliases: {
    "msgraph-device-list-managed-devices": "msgraph-list-managed-devices",
    "msgraph-device-get-managed-device-by-id": "msgraph-get-managed-device-by-id",
    "msgraph-device-sync-device": "msgraph-sync-device",
  },
  commands: {
    "msgraph-list-managed-devices": {
      description: "Lists the managed devices.",
      arguments: [
        { name: "filter", description: "msint only: an OData $filter, e.g. operatingSystem eq 'Windows'." },
        { name: "limit", description: "The most devices to return (1-1000).", defaultValue: "10" },
      ],
      outputs: deviceOutputs,
      permissions: READ_DEVICES,
      run: listManagedDevices,
    },
    "msgraph-find-managed-devices-by-name": {
      description: "Finds the managed devices with this device name.",
      arguments: [
        { name: "device_name", description: "The device name.", required: true },
        {
          name: "limit",
          description: "msint only: the most devices to return (1-1000).",
          defaultValue: "50",
        },
      ],
      outputs: deviceOutputs,
      permissions: READ_DEVICES,
      run: listManagedDevices,
    },
    "msgraph-get-managed-device-by-id": {
      description: "Gets one managed device.",
      arguments: [deviceId],
      outputs: deviceOutputs,
      permissions: READ_DEVICES,
      run: getManagedDevice,
    },
    ...simpleActions,
    "msgraph-delete-user-from-shared-apple-device": {
      description: "Deletes a user from a shared iPad.",
      arguments: [
        { name: "user_principal_name", description: "The user's principal name.", required: true },
        deviceId,
      ],
      permissions: DEVICE_ACTIONS,
      run: (context: DeviceArgs) =>
        deviceAction(context, "deleteUserFromSharedAppleDevice", "Delete user from shared Apple device", {
          userPrincipalName: context.args["user_principal_name"],
        }),
    },
    "msgraph-clean-windows-device": {
      description: "Cleans a Windows device (removes apps and settings).",
      arguments: [flag("keep_user_data", "Whether to keep the user's data.", "true"), deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: DeviceArgs) =>
        deviceAction(context, "cleanWindowsDevice", "Clean Windows device", {
          keepUserData: bool(context, "keep_user_data", true),
        }),
    },
    "msgraph-windows-device-defender-scan": {
      description: "Runs a Microsoft Defender scan on a Windows device.",
      arguments: [flag("quick_scan", "A quick scan (true) or a full scan (false).", "true"), deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: DeviceArgs) =>
        deviceAction(context, "windowsDefenderScan", "Windows device defender scan", {
          quickScan: bool(context, "quick_scan", true),
        }),
    },
    "msgraph-wipe-device": {
      description: "Wipes a device (factory reset).",
      arguments: [
        flag("keep_enrollment_data", "Whether to keep the enrollment data.", "true"),
        flag("keep_user_data", "Whether to keep the user's data.", "true"),
        { name: "mac_os_unlock_code", description: "The unlock code of a macOS device." },
        deviceId,
      ],
      permissions: DEVICE_ACTIONS,
      run: (context: DeviceArgs) =>
        deviceAction(context, "wipe", "Wipe device", {
          keepEnrollmentData: bool(context, "keep_enrollment_data", true),
          keepUserData: bool(context, "keep_user_data", true),
          ...(context.args["mac_os_unlock_code"]
            ? { macOsUnlockCode: context.args["mac_os_unlock_code"] }
            : {}),
        }),
    },
    "msgraph-update-windows-device-account": {
      description: "Updates the device account of a Windows device (Surface Hub).",
      arguments: [
        { name: "device_id", description: "The managed device's ID.", required: true },
        {
          name: "session_initiation_protocal_address",
          description: "The SIP address (XSOAR's spelling).",
          required: true,
        },
        { name: "exchange_server", description: "The Exchange server.", required: true },
        flag("calendar_sync_enabled", "Whether calendar sync is enabled.", "false"),
        flag("password_rotation_enabled", "Whether password rotation is enabled.", "false"),
        { name: "device_account_password", description: "The device account's password.", required: true },
        { name: "device_account_email", description: "The device account's email address.", required: true },
      ],
      permissions: DEVICE_ACTIONS,
      run: (context: DeviceArgs) =>
        deviceAction(context, "updateWindowsDeviceAccount", "Update Windows device account", {
          updateWindowsDeviceAccountActionParameter: {
            "@odata.type": "microsoft.graph.updateWindowsDeviceAccountActionParameter",
            deviceAccount: {
              "@odata.type": "microsoft.graph.windowsDeviceAccount",
              password: context.args["device_account_password"],
            },
            passwordRotationEnabled: bool(context, "password_rotation_enabled", false),
            calendarSyncEnabled: bool(context, "calendar_sync_enabled", false),
            deviceAccountEmail: context.args["device_account_email"],
            exchangeServer: context.args["exchange_server"],
            sessionInitiationProtocalAddress: context.args["session_initiation_protocal_address"],
          },
        }),
    },
  },
  testPermissions: READ_DEVICES,
  async test({ api }) {
    await api.get(
      "/v1.0/deviceManagement/managedDevices",
      { $top: 1, $select: "id" },
      { expect: "collection" },
    );
  },
});
