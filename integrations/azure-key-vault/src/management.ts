import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  resourceGroupPath,
  subscriptionPath,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/** api-version of Microsoft.KeyVault vaults, as the XSOAR integration uses. */
const VAULTS_API_VERSION = "2022-07-01";
/** api-versions of Subscriptions - List and Resource Groups - List (learn.microsoft.com/rest/api/resources). */
const SUBSCRIPTIONS_API_VERSION = "2020-01-01";
const RESOURCE_GROUPS_API_VERSION = "2021-04-01";

interface AccessPolicy {
  tenantId?: string;
  objectId?: string;
  permissions?: Record<string, string[]>;
}

interface Vault {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    vaultUri?: string;
    tenantId?: string;
    sku?: { family?: string; name?: string };
    enableRbacAuthorization?: boolean;
    enableSoftDelete?: boolean;
    accessPolicies?: AccessPolicy[];
  };
}

const VAULT_NAME = { key: "vault_name", displayName: "Key Vault Name" } as const;

function groupPath(context: CommandContext): string {
  return `${resourceGroupPath(context)}/providers/Microsoft.KeyVault/vaults`;
}

function vaultPath(context: CommandContext): { path: string; name: string } {
  const name = argumentOrParameter(context, "vault_name", VAULT_NAME);
  return { path: `${groupPath(context)}/${encodeURIComponent(name)}`, name };
}

function vaultRows(vaults: Vault[]) {
  return vaults.map((vault) => ({
    Name: vault.name,
    Location: vault.location,
    "Vault URI": vault.properties?.vaultUri,
    SKU: vault.properties?.sku?.name,
    "RBAC Authorization": vault.properties?.enableRbacAuthorization ?? false,
    "Access Policies": vault.properties?.accessPolicies?.length ?? 0,
  }));
}

const COLUMNS = ["Name", "Location", "Vault URI", "SKU", "RBAC Authorization", "Access Policies"];

function vaultResult(title: string, vaults: Vault[], single: boolean): CommandResult {
  return {
    readable: tableToMarkdown(title, vaultRows(vaults), COLUMNS),
    outputsPrefix: "AzureKeyVault.KeyVault",
    outputsKeyField: "id",
    outputs: single ? vaults[0] : vaults,
    raw: single ? vaults[0] : vaults,
  };
}

/** `azure-key-vault-test`'s read of Resource Manager: the instance's vault (Vaults - Get), when its scope is set. */
export async function testVault(context: CommandContext): Promise<void> {
  const { params } = context;
  if (!params["subscription_id"] || !params["resource_group_name"] || !params["vault_name"]) return;
  await context.apiFor("arm").get(vaultPath(context).path, { "api-version": VAULTS_API_VERSION });
}

/** Whole-number argument `offset` (default 0). */
function offsetArgument(context: CommandContext): number {
  const offset = Number(context.args["offset"] ?? "0");
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UsageError(`offset must be a whole number, 0 or more (got "${context.args["offset"]}").`);
  }
  return offset;
}

/**
 * `azure-key-vault-list`: the subscription's key vaults (Vaults - List By Subscription,
 * GET /subscriptions/{id}/providers/Microsoft.KeyVault/vaults?$top=…), `limit` of them after `offset`.
 */
export async function listVaults(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const offset = offsetArgument(context);
  const { items } = await collectPages<Vault>(
    context.apiFor("arm"),
    `${subscriptionPath(context)}/providers/Microsoft.KeyVault/vaults`,
    { "api-version": VAULTS_API_VERSION, $top: Math.min(limit + offset, 1000) },
    limit + offset,
  );
  return vaultResult("Key Vaults List", items.slice(offset, offset + limit), false);
}

/** `azure-key-vault-get`: one key vault's settings (Vaults - Get). */
export async function getVault(context: CommandContext): Promise<CommandResult> {
  const { path, name } = vaultPath(context);
  const vault = await context.apiFor("arm").get<Vault>(path, { "api-version": VAULTS_API_VERSION });
  return vaultResult(`${name} Information`, [vault ?? {}], true);
}

/** `azure-key-vault-delete`: Vaults - Delete (200 when it existed, 204 when it did not). */
export async function deleteVault(context: CommandContext): Promise<CommandResult> {
  const { path, name } = vaultPath(context);
  await context.apiFor("arm").request({
    method: "DELETE",
    path,
    query: { "api-version": VAULTS_API_VERSION },
    expect: "none",
  });
  return { readable: `Deleted Key Vault ${name} successfully.` };
}

/** A comma-separated permission list argument; undefined when not given. */
function list(context: CommandContext, name: string): string[] | undefined {
  const value = context.args[name];
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** The access policy of `object_id` from the keys / secrets / certificates / storage arguments. */
function accessPolicy(context: CommandContext<{ object_id: string }>, defaults: boolean): AccessPolicy {
  const permissions: Record<string, string[]> = {};
  for (const kind of ["keys", "secrets", "certificates", "storage"]) {
    const given = list(context, kind) ?? (defaults && kind !== "storage" ? ["get", "list"] : undefined);
    if (given) permissions[kind] = given;
  }
  const tenantId = String(context.params["tenant_id"] ?? "").trim();
  if (!tenantId) throw new UsageError("The instance's Tenant ID is not set: the access policy needs it.");
  return { tenantId, objectId: context.args["object_id"].trim(), permissions };
}

/** `true`/`false` arguments as booleans; undefined when not given. */
function flag(context: CommandContext, name: string): boolean | undefined {
  const value = context.args[name];
  return value === undefined ? undefined : value.toLowerCase() === "true";
}

/** The network rules of `azure-key-vault-create-update`, when any of their arguments is given. */
function networkAcls(context: CommandContext) {
  const { args } = context;
  if (!args["default_action"] && !args["bypass"] && !args["vnet_subnet_id"] && !args["ip_rules"])
    return undefined;
  return {
    defaultAction: args["default_action"] ?? "Allow",
    bypass: args["bypass"] ?? "AzureServices",
    ipRules: list(context, "ip_rules")?.map((value) => ({ value })) ?? [],
    virtualNetworkRules: args["vnet_subnet_id"]
      ? [
          {
            id: args["vnet_subnet_id"],
            ignoreMissingVnetServiceEndpoint:
              (args["ignore_missing_vnet_service_endpoint"] ?? "true") === "true",
          },
        ]
      : [],
  };
}

/**
 * `azure-key-vault-create-update`: Vaults - Create Or Update (PUT …/vaults/{name}); the vault's one access policy
 * is `object_id`'s.
 */
export async function createOrUpdateVault(
  context: CommandContext<{ object_id: string }>,
): Promise<CommandResult> {
  const { path, name } = vaultPath(context);
  const policy = accessPolicy(context, true);
  const acls = networkAcls(context);
  const properties: Record<string, unknown> = {
    tenantId: policy.tenantId,
    sku: { family: "A", name: context.args["sku_name"] ?? "standard" },
    accessPolicies: [policy],
  };
  for (const [argument, property] of [
    ["enabled_for_deployment", "enabledForDeployment"],
    ["enabled_for_disk_encryption", "enabledForDiskEncryption"],
    ["enabled_for_template_deployment", "enabledForTemplateDeployment"],
  ] as const) {
    const value = flag(context, argument);
    if (value !== undefined) properties[property] = value;
  }
  if (acls) properties["networkAcls"] = acls;
  const vault = await context.apiFor("arm").request<Vault>({
    method: "PUT",
    path,
    query: { "api-version": VAULTS_API_VERSION },
    body: { location: context.args["location"] ?? "westus", properties },
  });
  return vaultResult(`${name} Information`, [vault ?? {}], true);
}

/** `azure-key-vault-access-policy-update`: Vaults - Update Access Policy (PUT …/accessPolicies/{operationKind}). */
export async function updateAccessPolicy(
  context: CommandContext<{ object_id: string; operation_kind: string }>,
): Promise<CommandResult> {
  const { path, name } = vaultPath(context);
  const kind = context.args["operation_kind"].trim();
  const answer = await context
    .apiFor("arm")
    .request<{ id?: string; properties?: { accessPolicies?: AccessPolicy[] } }>({
      method: "PUT",
      path: `${path}/accessPolicies/${encodeURIComponent(kind)}`,
      query: { "api-version": VAULTS_API_VERSION },
      body: { properties: { accessPolicies: [accessPolicy(context, false)] } },
    });
  const policies = answer?.properties?.accessPolicies ?? [];
  return {
    readable: tableToMarkdown(
      `${name} access policy: ${kind}`,
      policies.map((policy) => ({
        "Object ID": policy.objectId,
        Keys: policy.permissions?.["keys"]?.join(", "),
        Secrets: policy.permissions?.["secrets"]?.join(", "),
        Certificates: policy.permissions?.["certificates"]?.join(", "),
        Storage: policy.permissions?.["storage"]?.join(", "),
      })),
    ),
    outputsPrefix: "AzureKeyVault.VaultAccessPolicy",
    outputsKeyField: "id",
    outputs: answer,
  };
}

/** `azure-key-vault-subscriptions-list`: Subscriptions - List (GET /subscriptions). */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<{ subscriptionId?: string; displayName?: string; state?: string }>(
    context.apiFor("arm"),
    "/subscriptions",
    { "api-version": SUBSCRIPTIONS_API_VERSION },
  );
  return {
    readable: tableToMarkdown(
      "Azure Key Vault Subscriptions list",
      items.map((entry) => ({
        "Subscription ID": entry.subscriptionId,
        Name: entry.displayName,
        State: entry.state,
      })),
    ),
    outputsPrefix: "AzureKeyVault.Subscription",
    outputsKeyField: "id",
    outputs: items,
  };
}

/** `tag`: `{"name":"value"}` as XSOAR takes it (or `name=value`) → Resource Manager's tag `$filter`. */
function tagFilter(tag: string | undefined): string | undefined {
  if (!tag?.trim()) return undefined;
  let entries: [string, unknown][];
  try {
    entries = Object.entries(JSON.parse(tag) as Record<string, unknown>);
  } catch {
    const [name, ...value] = tag.split("=");
    entries = [[name!.trim(), value.join("=").trim()]];
  }
  const [name, value] = entries[0] ?? [];
  if (!name) throw new UsageError(`tag must be {"name":"value"} (got ${tag}).`);
  const quote = (text: string) => text.replaceAll("'", "''");
  return value === undefined || value === ""
    ? `tagName eq '${quote(name)}'`
    : `tagName eq '${quote(name)}' and tagValue eq '${quote(String(value))}'`;
}

/** `azure-key-vault-resource-group-list`: Resource Groups - List (GET /subscriptions/{id}/resourcegroups). */
export async function listResourceGroups(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const { items } = await collectPages<{ name?: string; location?: string; tags?: Record<string, string> }>(
    context.apiFor("arm"),
    `${subscriptionPath(context)}/resourcegroups`,
    { "api-version": RESOURCE_GROUPS_API_VERSION, $top: limit, $filter: tagFilter(context.args["tag"]) },
    limit,
  );
  return {
    readable: tableToMarkdown(
      "Resource Groups List",
      items.map((group) => ({
        Name: group.name,
        Location: group.location,
        Tags: group.tags ? JSON.stringify(group.tags) : undefined,
      })),
    ),
    outputsPrefix: "AzureKeyVault.ResourceGroup",
    outputsKeyField: "id",
    outputs: items,
  };
}
