import {
  type CommandContext,
  type CommandResult,
  collectPages,
  tableToMarkdown,
} from "@msint/integration-kit";
import { COMPUTE_API_VERSION, resourceGroupPath, subscriptionPath, vmPath } from "./virtual-machines.js";

/** The Microsoft.Network API version of the public IP address reads. */
export const NETWORK_API_VERSION = "2022-09-01";

interface PublicIp {
  id?: string;
  name?: string;
  location?: string;
  properties?: {
    ipAddress?: string;
    publicIPAllocationMethod?: string;
    publicIPAddressVersion?: string;
    dnsSettings?: { fqdn?: string; domainNameLabel?: string };
    ipConfiguration?: { id?: string };
  };
}

/** A public IP address as XSOAR writes it under `Azure.Network.IPConfigurations`. */
function toContextIp(address: PublicIp): Record<string, unknown> {
  const properties = address.properties ?? {};
  return {
    PublicConfigName: address.name,
    PublicConfigID: properties.ipConfiguration?.id,
    Location: address.location,
    PublicIPAddressID: address.id,
    PublicIPAddress: properties.ipAddress,
    PublicIPAddressVersion: properties.publicIPAddressVersion,
    PublicIPAddressAllocationMethod: properties.publicIPAllocationMethod,
    PublicIPAddressDomainName: properties.dnsSettings?.domainNameLabel,
    PublicIPAddressFQDN: properties.dnsSettings?.fqdn,
    ResourceGroup: /\/resourceGroups\/([^/]+)\//i.exec(address.id ?? "")?.[1],
  };
}

function ipResult(title: string, addresses: PublicIp[]): CommandResult {
  const entries = addresses.map(toContextIp);
  return {
    readable: tableToMarkdown(title, entries, [
      "PublicConfigName",
      "PublicIPAddress",
      "PublicIPAddressAllocationMethod",
      "PublicIPAddressVersion",
      "Location",
      "ResourceGroup",
    ]),
    outputsPrefix: "Azure.Network.IPConfigurations",
    outputsKeyField: "PublicIPAddressID",
    outputs: entries,
    raw: addresses,
  };
}

/** `azure-vm-get-public-ip-details`: GET …/providers/Microsoft.Network/publicIPAddresses/{name}. */
export async function getPublicIpDetails(
  context: CommandContext<{ address_name: string }>,
): Promise<CommandResult> {
  const { path } = resourceGroupPath(context);
  const address = await context.api.get<PublicIp>(
    `${path}/providers/Microsoft.Network/publicIPAddresses/${encodeURIComponent(context.args["address_name"])}`,
    { "api-version": NETWORK_API_VERSION },
  );
  return ipResult(`Properties of Public Address "${context.args["address_name"]}"`, [address]);
}

/** `azure-vm-get-all-public-ip-details`: GET /subscriptions/{id}/providers/Microsoft.Network/publicIPAddresses. */
export async function getAllPublicIpDetails(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<PublicIp>(
    context.api,
    `${subscriptionPath(context)}/providers/Microsoft.Network/publicIPAddresses`,
    { "api-version": NETWORK_API_VERSION },
  );
  return ipResult("Public IP Addresses", items);
}

/** `azure-vm-delete-instance`: DELETE …/providers/Microsoft.Compute/virtualMachines/{name} (202 Accepted). */
export async function deleteInstance(
  context: CommandContext<{ virtual_machine_name: string }>,
): Promise<CommandResult> {
  const { path, name } = vmPath(context);
  await context.api.request({ method: "DELETE", path, query: { "api-version": COMPUTE_API_VERSION } });
  return { readable: `"${name}" VM Deletion Successfully Initiated` };
}
