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

/** Microsoft Graph Device Management: Intune managed devices through Microsoft Graph. */
export default defineIntegration({
  id: "microsoft-graph-device-management",
  version: packageJson.version,
  displayName: "Microsoft Graph Device Management",
  commandPrefix: "msgraph-device",
  description:
    "Lists Intune managed devices and triggers remote actions. XSOAR's bare msgraph- command names carry the msgraph-device- prefix here.",
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
  commands: {
    "msgraph-device-list-managed-devices": {
      description: "Lists the managed devices.",
      arguments: [
        { name: "filter", description: "An OData $filter, e.g. operatingSystem eq 'Windows'." },
        { name: "limit", description: "The most devices to return (1-1000).", defaultValue: "50" },
      ],
      outputs: deviceOutputs,
      permissions: READ_DEVICES,
      run: listManagedDevices,
    },
    "msgraph-device-get-managed-device-by-id": {
      description: "Gets one managed device.",
      arguments: [deviceId],
      outputs: deviceOutputs,
      permissions: READ_DEVICES,
      run: getManagedDevice,
    },
    "msgraph-device-sync-device": {
      description: "Asks a device to check in with Intune now.",
      arguments: [deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: CommandContext<{ device_id: string }>) => deviceAction(context, "syncDevice", "Sync"),
    },
    "msgraph-device-reboot-now": {
      description: "Reboots a device.",
      arguments: [deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: CommandContext<{ device_id: string }>) => deviceAction(context, "rebootNow", "Reboot"),
    },
    "msgraph-device-remote-lock": {
      description: "Locks a device.",
      arguments: [deviceId],
      permissions: DEVICE_ACTIONS,
      run: (context: CommandContext<{ device_id: string }>) =>
        deviceAction(context, "remoteLock", "Remote lock"),
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
