import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

interface ManagedDevice {
  id?: string;
  deviceName?: string;
  userPrincipalName?: string;
  operatingSystem?: string;
  osVersion?: string;
  complianceState?: string;
  lastSyncDateTime?: string;
  serialNumber?: string;
  managedDeviceOwnerType?: string;
}

const DEVICES = "/v1.0/deviceManagement/managedDevices";

/** A device as the XSOAR integration writes it under `MSGraphDeviceManagement.Device`. */
export function toContextDevice(device: ManagedDevice): Record<string, unknown> {
  return {
    ID: device.id,
    Name: device.deviceName,
    UserPrincipalName: device.userPrincipalName,
    OperatingSystem: device.operatingSystem,
    OSVersion: device.osVersion,
    ComplianceState: device.complianceState,
    LastSyncDateTime: device.lastSyncDateTime,
    SerialNumber: device.serialNumber,
    OwnerType: device.managedDeviceOwnerType,
  };
}

const HEADERS = [
  "ID",
  "Name",
  "UserPrincipalName",
  "OperatingSystem",
  "OSVersion",
  "ComplianceState",
  "LastSyncDateTime",
];

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * `msgraph-list-managed-devices` and `msgraph-find-managed-devices-by-name` (device_name → $filter deviceName eq):
 * GET /v1.0/deviceManagement/managedDevices.
 */
export async function listManagedDevices(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const name = context.args["device_name"];
  const { items } = await collectPages<ManagedDevice>(
    context.api,
    DEVICES,
    { $top: limit, $filter: name ? `deviceName eq ${quote(name)}` : context.args["filter"] },
    limit,
  );
  const devices = items.map(toContextDevice);
  return {
    readable: tableToMarkdown("List managed devices", devices, HEADERS),
    outputsPrefix: "MSGraphDeviceManagement.Device",
    outputsKeyField: "ID",
    outputs: devices,
    raw: items,
  };
}

/** `msgraph-get-managed-device-by-id`: GET /v1.0/deviceManagement/managedDevices/{id}. */
export async function getManagedDevice(
  context: CommandContext<{ device_id: string }>,
): Promise<CommandResult> {
  const device = await context.api.get<ManagedDevice>(
    `${DEVICES}/${encodeURIComponent(context.args["device_id"])}`,
  );
  const entry = toContextDevice(device);
  return {
    readable: tableToMarkdown(`Managed device ${device.deviceName ?? device.id}`, [entry], HEADERS),
    outputsPrefix: "MSGraphDeviceManagement.Device",
    outputsKeyField: "ID",
    outputs: entry,
    raw: device,
  };
}

/**
 * A remote action: POST /v1.0/deviceManagement/managedDevices/{id}/{action} (204 No Content), with the action's
 * parameters as the JSON body where it takes any (wipe, windowsDefenderScan …).
 */
export async function deviceAction(
  context: CommandContext,
  action: string,
  label: string,
  body?: Record<string, unknown>,
): Promise<CommandResult> {
  const id = context.args["device_id"] ?? "";
  await context.api.request({
    method: "POST",
    path: `${DEVICES}/${encodeURIComponent(id)}/${action}`,
    ...(body ? { body } : {}),
  });
  return { readable: `${label} request to the device ${id} was sent successfully.` };
}
