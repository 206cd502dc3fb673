import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  tableToMarkdown,
} from "@msint/integration-kit";

/** api-version of Microsoft.KeyVault vaults, as the XSOAR integration uses. */
const VAULTS_API_VERSION = "2022-07-01";

interface Vault {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    vaultUri?: string;
    tenantId?: string;
    sku?: { name?: string };
    enableRbacAuthorization?: boolean;
    enableSoftDelete?: boolean;
    enablePurgeProtection?: boolean;
    publicNetworkAccess?: string;
    accessPolicies?: Array<{ objectId?: string; permissions?: Record<string, string[]> }>;
  };
}

function groupPath(context: CommandContext): string {
  return `${resourceGroupPath(context)}/providers/Microsoft.KeyVault/vaults`;
}

function toContextVault(vault: Vault) {
  const properties = vault.properties ?? {};
  return {
    id: vault.id,
    name: vault.name,
    location: vault.location,
    tags: vault.tags,
    properties: {
      vaultUri: properties.vaultUri,
      sku: properties.sku?.name,
      enableRbacAuthorization: properties.enableRbacAuthorization,
      enableSoftDelete: properties.enableSoftDelete,
      enablePurgeProtection: properties.enablePurgeProtection,
      publicNetworkAccess: properties.publicNetworkAccess,
      accessPolicies: properties.accessPolicies?.length ?? 0,
    },
  };
}

function vaultRows(vaults: ReturnType<typeof toContextVault>[]) {
  return vaults.map((vault) => ({
    Name: vault.name,
    Location: vault.location,
    "Vault URI": vault.properties.vaultUri,
    SKU: vault.properties.sku,
    "RBAC Authorization": vault.properties.enableRbacAuthorization,
    "Access Policies": vault.properties.accessPolicies,
  }));
}

const COLUMNS = ["Name", "Location", "Vault URI", "SKU", "RBAC Authorization", "Access Policies"];

/** `azure-key-vault-test`'s read of Resource Manager: the instance's vault (Vaults - Get), when its scope is set. */
export async function testVault(context: CommandContext): Promise<void> {
  const { params } = context;
  if (!params["subscription_id"] || !params["resource_group_name"] || !params["vault_name"]) return;
  const name = encodeURIComponent(String(params["vault_name"]).trim());
  await context.apiFor("arm").get(`${groupPath(context)}/${name}`, { "api-version": VAULTS_API_VERSION });
}

/** `azure-key-vault-list`: the resource group's key vaults, through Azure Resource Manager. */
export async function listVaults(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<Vault>(
    context.apiFor("arm"),
    groupPath(context),
    { "api-version": VAULTS_API_VERSION },
    limitArgument(context, 500),
  );
  const vaults = items.map(toContextVault);
  return {
    readable: tableToMarkdown("Key vaults", vaultRows(vaults), COLUMNS),
    outputsPrefix: "AzureKeyVault.KeyVault",
    outputsKeyField: "id",
    outputs: vaults,
    raw: items,
  };
}

/** `azure-key-vault-get`: one key vault's settings, through Azure Resource Manager. */
export async function getVault(context: CommandContext): Promise<CommandResult> {
  const name = argumentOrParameter(context, "vault_name", {
    key: "vault_name",
    displayName: "Key Vault Name",
  });
  const vault = await context
    .apiFor("arm")
    .get<Vault>(`${groupPath(context)}/${encodeURIComponent(name)}`, { "api-version": VAULTS_API_VERSION });
  const result = toContextVault(vault ?? {});
  return {
    readable: tableToMarkdown(`Key vault ${name}`, vaultRows([result]), COLUMNS),
    outputsPrefix: "AzureKeyVault.KeyVault",
    outputsKeyField: "id",
    outputs: result,
    raw: vault,
  };
}
