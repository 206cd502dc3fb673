import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

/** The Key Vault data-plane API version. */
export const KEY_VAULT_API_VERSION = "7.4";

interface Attributes {
  enabled?: boolean;
  created?: number;
  updated?: number;
  exp?: number;
  recoveryLevel?: string;
}

/** Key Vault times are Unix seconds. */
const time = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : undefined);
const nameOf = (id: string | undefined) => id?.split("/")[4];

/** `azure-key-vault-secret-list`: GET /secrets. */
export async function listSecrets(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const { items } = await collectPages<{ id?: string; contentType?: string; attributes?: Attributes }>(
    context.api,
    "/secrets",
    { "api-version": KEY_VAULT_API_VERSION, maxresults: Math.min(limit, 25) },
    limit,
  );
  const rows = items.map((secret) => ({
    "Secret Name": nameOf(secret.id),
    Enabled: secret.attributes?.enabled,
    "Content Type": secret.contentType,
    Created: time(secret.attributes?.created),
    Expires: time(secret.attributes?.exp),
  }));
  return {
    readable: tableToMarkdown(`${context.params["vault_name"]} Secrets List`, rows),
    outputsPrefix: "AzureKeyVault.Secret",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `azure-key-vault-secret-get`: GET /secrets/{name}[/{version}]. */
export async function getSecret(context: CommandContext<{ secret_name: string }>): Promise<CommandResult> {
  const name = encodeURIComponent(context.args["secret_name"]);
  const version = context.args["secret_version"]
    ? `/${encodeURIComponent(context.args["secret_version"])}`
    : "";
  const secret = await context.api.get<{ id?: string; value?: string; attributes?: Attributes }>(
    `/secrets/${name}${version}`,
    {
      "api-version": KEY_VAULT_API_VERSION,
    },
  );
  return {
    // The value goes to the context only, never to the War Room's markdown.
    readable: tableToMarkdown(`${context.args["secret_name"]} Information`, [
      {
        "Secret ID": secret.id,
        Enabled: secret.attributes?.enabled,
        Updated: time(secret.attributes?.updated),
      },
    ]),
    outputsPrefix: "AzureKeyVault.Secret",
    outputsKeyField: "id",
    outputs: secret,
  };
}

/** `azure-key-vault-key-list`: GET /keys. */
export async function listKeys(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 1000);
  const { items } = await collectPages<{ kid?: string; managed?: boolean; attributes?: Attributes }>(
    context.api,
    "/keys",
    { "api-version": KEY_VAULT_API_VERSION, maxresults: Math.min(limit, 25) },
    limit,
  );
  const rows = items.map((key) => ({
    "Key Name": nameOf(key.kid),
    Enabled: key.attributes?.enabled,
    Managed: key.managed ?? false,
    Created: time(key.attributes?.created),
  }));
  return {
    readable: tableToMarkdown(`${context.params["vault_name"]} Keys List`, rows),
    outputsPrefix: "AzureKeyVault.Key",
    outputsKeyField: "kid",
    outputs: items,
    raw: items,
  };
}
