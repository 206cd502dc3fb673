import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupTagFilter,
  SUBSCRIPTIONS_API_VERSION,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/** The Microsoft.Compute API version of the XSOAR integration. */
export const COMPUTE_API_VERSION = "2023-03-01";
const RESOURCE_GROUPS_API_VERSION = "2021-04-01";

interface VirtualMachine {
  id?: string;
  name?: string;
  location?: string;
  properties?: {
    provisioningState?: string;
    hardwareProfile?: { vmSize?: string };
    storageProfile?: { osDisk?: { osType?: string } };
    instanceView?: { statuses?: Array<{ code?: string; displayStatus?: string }> };
    userData?: string;
  };
}

interface ArmList<T> {
  value?: T[];
  nextLink?: string;
}

function setting(context: CommandContext, argument: string, parameter: string, displayName: string): string {
  const value = context.args[argument] || context.params[parameter];
  if (typeof value !== "string" || !value) {
    throw new UsageError(
      `${displayName} is not set: add ${argument}=<value> or set the instance parameter ${parameter}.`,
    );
  }
  return value;
}

export function subscriptionPath(context: CommandContext): string {
  return `/subscriptions/${encodeURIComponent(setting(context, "subscription_id", "subscription_id", "Default Subscription ID"))}`;
}

export function resourceGroupPath(context: CommandContext): { path: string; resourceGroup: string } {
  const resourceGroup = setting(context, "resource_group", "resource_group", "Default Resource Group Name");
  return {
    path: `${subscriptionPath(context)}/resourceGroups/${encodeURIComponent(resourceGroup)}`,
    resourceGroup,
  };
}

export function vmPath(context: CommandContext<{ virtual_machine_name: string }>) {
  const { path, resourceGroup } = resourceGroupPath(context);
  const name = context.args["virtual_machine_name"];
  return {
    path: `${path}/providers/Microsoft.Compute/virtualMachines/${encodeURIComponent(name)}`,
    name,
    resourceGroup,
  };
}

function powerStateOf(vm: VirtualMachine): string | undefined {
  const status = vm.properties?.instanceView?.statuses?.find((entry) =>
    entry.code?.startsWith("PowerState/"),
  );
  return status?.displayStatus;
}

/** The context entry of a VM, as the XSOAR integration writes it under `Azure.Compute`. */
export function toContextVm(vm: VirtualMachine, resourceGroup: string): Record<string, unknown> {
  return {
    Name: vm.name,
    ID: vm.id,
    Size: vm.properties?.hardwareProfile?.vmSize,
    OS: vm.properties?.storageProfile?.osDisk?.osType,
    Location: vm.location,
    ProvisioningState: vm.properties?.provisioningState,
    PowerState: powerStateOf(vm),
    ResourceGroup: resourceGroup,
  };
}

const HEADERS = ["Name", "ID", "Size", "OS", "Location", "ProvisioningState", "PowerState"];

/** `azure-vm-list-instances`: GET …/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines. */
export async function listInstances(context: CommandContext): Promise<CommandResult> {
  const { path, resourceGroup } = resourceGroupPath(context);
  const page = await context.api.get<ArmList<VirtualMachine>>(
    `${path}/providers/Microsoft.Compute/virtualMachines`,
    { "api-version": COMPUTE_API_VERSION },
    { expect: "collection" },
  );
  const vms = (page?.value ?? []).map((vm) => toContextVm(vm, resourceGroup));
  return {
    readable: tableToMarkdown(
      `Microsoft Azure - List of Virtual Machines in Resource Group ${resourceGroup}`,
      vms,
      HEADERS.filter((header) => header !== "PowerState"),
    ),
    outputsPrefix: "Azure.Compute",
    outputsKeyField: "Name",
    outputs: vms,
    raw: page,
  };
}

/** `azure-vm-get-instance-details`: GET …/virtualMachines/{name}?$expand=instanceView. */
export async function getInstanceDetails(
  context: CommandContext<{ virtual_machine_name: string }>,
): Promise<CommandResult> {
  const { path, resourceGroup, name } = vmPath(context);
  const vm = await context.api.get<VirtualMachine>(path, {
    "api-version": COMPUTE_API_VERSION,
    $expand: context.args["expand"],
  });
  const entry = toContextVm(vm, resourceGroup);
  if (vm.properties?.userData !== undefined) entry["UserData"] = vm.properties.userData;
  return {
    readable: tableToMarkdown(`Properties of VM "${name}"`, [entry], HEADERS),
    outputsPrefix: "Azure.Compute",
    outputsKeyField: "Name",
    outputs: entry,
    raw: vm,
  };
}

/** `azure-vm-start-instance`: POST …/virtualMachines/{name}/start (202 Accepted). */
export async function startInstance(
  context: CommandContext<{ virtual_machine_name: string }>,
): Promise<CommandResult> {
  const { path, resourceGroup, name } = vmPath(context);
  await context.api.request({
    method: "POST",
    path: `${path}/start`,
    query: { "api-version": COMPUTE_API_VERSION },
  });
  const entry = { Name: name, ResourceGroup: resourceGroup, PowerState: "VM starting" };
  return {
    readable: tableToMarkdown(`Power-on of Virtual Machine "${name}" Successfully Initiated`, [entry]),
    outputsPrefix: "Azure.Compute",
    outputsKeyField: "Name",
    outputs: entry,
  };
}

/** `azure-vm-poweroff-instance`: POST …/virtualMachines/{name}/powerOff[?skipShutdown=true]. */
export async function powerOffInstance(
  context: CommandContext<{ virtual_machine_name: string }>,
): Promise<CommandResult> {
  const { path, resourceGroup, name } = vmPath(context);
  await context.api.request({
    method: "POST",
    path: `${path}/powerOff`,
    query: {
      "api-version": COMPUTE_API_VERSION,
      skipShutdown: context.args["skip_shutdown"] === "true" ? "true" : undefined,
    },
  });
  const entry = { Name: name, ResourceGroup: resourceGroup, PowerState: "VM stopping" };
  return {
    readable: tableToMarkdown(`Power-off of Virtual Machine "${name}" Successfully Initiated`, [entry]),
    outputsPrefix: "Azure.Compute",
    outputsKeyField: "Name",
    outputs: entry,
  };
}

/** `azure-list-resource-groups`: GET /subscriptions/{id}/resourcegroups, with XSOAR's tag filter and limit. */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{
    id?: string;
    name?: string;
    location?: string;
    properties?: { provisioningState?: string };
  }>(
    context.api,
    `${subscriptionPath(context)}/resourcegroups`,
    { "api-version": RESOURCE_GROUPS_API_VERSION, $filter: resourceGroupTagFilter(context.args["tag"]) },
    limitArgument(context, 1000),
  );
  const groups = items.map((group) => ({
    Name: group.name,
    ID: group.id,
    Location: group.location,
    ProvisioningState: group.properties?.provisioningState,
  }));
  return {
    readable: tableToMarkdown("Resource Groups", groups, ["Name", "Location", "ProvisioningState"]),
    outputsPrefix: "Azure.ResourceGroup",
    outputsKeyField: "Name",
    outputs: groups,
    raw: items,
  };
}

/** `azure-list-subscriptions`: GET /subscriptions. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
    context.api,
    "/subscriptions",
    { "api-version": SUBSCRIPTIONS_API_VERSION },
  );
  const subscriptions = items.map((subscription) => ({
    ID: subscription.subscriptionId,
    Name: subscription.displayName,
    State: subscription.state,
  }));
  return {
    readable: tableToMarkdown("Azure Subscriptions", subscriptions, ["ID", "Name", "State"]),
    outputsPrefix: "Azure.Subscription",
    outputsKeyField: "ID",
    outputs: subscriptions,
    raw: items,
  };
}
