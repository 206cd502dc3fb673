import {
  type ApiClient,
  type CommandContext,
  type CommandResult,
  collectPages,
  keyVaultApi,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/** The Key Vault data-plane API version. */
export const KEY_VAULT_API_VERSION = "7.4";

interface Attributes {
  enabled?: boolean;
  created?: number | string;
  updated?: number | string;
  exp?: number | string;
  nbf?: number | string;
  recoveryLevel?: string;
  recoverableDays?: number;
}

interface WithAttributes {
  attributes?: Attributes;
}

/** Key Vault times are Unix seconds; the context and tables show ISO 8601, as XSOAR's outputs do. */
const time = (seconds: number | string | undefined) =>
  typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : seconds;
const nameOf = (id: string | undefined) => id?.split("/")[4];

/** The entity with its time attributes (and the deletion dates of a deleted one) as ISO 8601. */
function readable<T extends WithAttributes & { deletedDate?: unknown; scheduledPurgeDate?: unknown }>(
  entity: T,
): T {
  const attributes = entity.attributes
    ? {
        ...entity.attributes,
        created: time(entity.attributes.created),
        updated: time(entity.attributes.updated),
        ...(entity.attributes.exp === undefined ? {} : { exp: time(entity.attributes.exp) }),
        ...(entity.attributes.nbf === undefined ? {} : { nbf: time(entity.attributes.nbf) }),
      }
    : undefined;
  return {
    ...entity,
    ...(attributes ? { attributes } : {}),
    ...(typeof entity.deletedDate === "number" ? { deletedDate: time(entity.deletedDate) } : {}),
    ...(typeof entity.scheduledPurgeDate === "number"
      ? { scheduledPurgeDate: time(entity.scheduledPurgeDate) }
      : {}),
  };
}

/** The vault of the command: its `vault_name` argument, else the instance's Key Vault Name. */
function vaultOf(context: CommandContext): { api: ApiClient; name: string } {
  const name = String(context.args["vault_name"] || context.params["vault_name"] || "").trim();
  return { api: keyVaultApi(context, name), name };
}

const segment = (value: string | undefined) => (value ? `/${encodeURIComponent(value.trim())}` : "");

/** `limit` entries after `offset` of a data-plane list, paging with maxresults (1-25) and nextLink. */
async function listPage<T>(context: CommandContext, path: string): Promise<{ items: T[]; vault: string }> {
  const { api, name } = vaultOf(context);
  const limit = limitArgument(context, 1000);
  const offset = Number(context.args["offset"] ?? "0");
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UsageError(`offset must be a whole number, 0 or more (got "${context.args["offset"]}").`);
  }
  const { items } = await collectPages<T>(
    api,
    path,
    { "api-version": KEY_VAULT_API_VERSION, maxresults: Math.min(limit + offset, 25) },
    limit + offset,
  );
  return { items: items.slice(offset, offset + limit), vault: name };
}

/** `azure-key-vault-secret-list`: Get Secrets, GET /secrets. */
export async function listSecrets(context: CommandContext): Promise<CommandResult> {
  const { items, vault } = await listPage<{ id?: string; contentType?: string } & WithAttributes>(
    context,
    "/secrets",
  );
  const secrets = items.map(readable);
  const rows = secrets.map((secret) => ({
    "Secret Name": nameOf(secret.id),
    Enabled: secret.attributes?.enabled,
    "Content Type": secret.contentType,
    Created: secret.attributes?.created,
    Expires: secret.attributes?.exp,
  }));
  return {
    readable: tableToMarkdown(`${vault} Secrets List`, rows),
    outputsPrefix: "AzureKeyVault.Secret",
    outputsKeyField: "id",
    outputs: secrets,
    raw: items,
  };
}

/** `azure-key-vault-secret-get`: Get Secret, GET /secrets/{name}[/{version}]. */
export async function getSecret(context: CommandContext<{ secret_name: string }>): Promise<CommandResult> {
  const { api } = vaultOf(context);
  const path = `/secrets${segment(context.args["secret_name"])}${segment(context.args["secret_version"])}`;
  const secret = await api.get<{ id?: string; value?: string } & WithAttributes>(path, {
    "api-version": KEY_VAULT_API_VERSION,
  });
  const output = readable(secret);
  return {
    // The value goes to the context only, never to the War Room's markdown.
    readable: tableToMarkdown(`${context.args["secret_name"]} Information`, [
      { "Secret ID": output.id, Enabled: output.attributes?.enabled, Updated: output.attributes?.updated },
    ]),
    outputsPrefix: "AzureKeyVault.Secret",
    outputsKeyField: "id",
    outputs: output,
  };
}

/** `azure-key-vault-secret-delete`: Delete Secret, DELETE /secrets/{name} (soft delete where enabled). */
export async function deleteSecret(context: CommandContext<{ secret_name: string }>): Promise<CommandResult> {
  const { api, name } = vaultOf(context);
  const deleted = await api.request<{ id?: string; recoveryId?: string } & WithAttributes>({
    method: "DELETE",
    path: `/secrets${segment(context.args["secret_name"])}`,
    query: { "api-version": KEY_VAULT_API_VERSION },
  });
  const output = readable(deleted ?? {});
  return {
    readable: tableToMarkdown(`Delete ${context.args["secret_name"]}`, [
      {
        "Secret ID": output.id,
        "Recovery ID": output.recoveryId,
        "Deleted Date": (output as { deletedDate?: string }).deletedDate,
        Vault: name,
      },
    ]),
    outputsPrefix: "AzureKeyVault.Secret",
    outputsKeyField: "id",
    outputs: output,
  };
}

interface KeyBundle extends WithAttributes {
  kid?: string;
  managed?: boolean;
  recoveryId?: string;
  deletedDate?: number | string;
  key?: { kid?: string; kty?: string; key_ops?: string[] };
}

/** `azure-key-vault-key-list`: Get Keys, GET /keys. */
export async function listKeys(context: CommandContext): Promise<CommandResult> {
  const { items, vault } = await listPage<KeyBundle>(context, "/keys");
  const keys = items.map(readable);
  const rows = keys.map((key) => ({
    "Key Name": nameOf(key.kid),
    Enabled: key.attributes?.enabled,
    Managed: key.managed ?? false,
    Created: key.attributes?.created,
  }));
  return {
    readable: tableToMarkdown(`${vault} Keys List`, rows),
    outputsPrefix: "AzureKeyVault.Key",
    outputsKeyField: "kid",
    outputs: keys,
    raw: items,
  };
}

function keyRow(key: KeyBundle) {
  return {
    "Key ID": key.key?.kid,
    "Key Type": key.key?.kty,
    "Key Operations": key.key?.key_ops?.join(", "),
    Enabled: key.attributes?.enabled,
    Created: key.attributes?.created,
  };
}

/** `azure-key-vault-key-get`: Get Key, GET /keys/{name}[/{version}] (the public part of the key). */
export async function getKey(context: CommandContext<{ key_name: string }>): Promise<CommandResult> {
  const { api } = vaultOf(context);
  const path = `/keys${segment(context.args["key_name"])}${segment(context.args["key_version"])}`;
  const key = readable(await api.get<KeyBundle>(path, { "api-version": KEY_VAULT_API_VERSION }));
  return {
    readable: tableToMarkdown(`${context.args["key_name"]} Information`, [keyRow(key)]),
    outputsPrefix: "AzureKeyVault.Key",
    outputsKeyField: "key.kid",
    outputs: key,
  };
}

/** `azure-key-vault-key-delete`: Delete Key, DELETE /keys/{name} (every version; soft delete where enabled). */
export async function deleteKey(context: CommandContext<{ key_name: string }>): Promise<CommandResult> {
  const { api } = vaultOf(context);
  const deleted = await api.request<KeyBundle>({
    method: "DELETE",
    path: `/keys${segment(context.args["key_name"])}`,
    query: { "api-version": KEY_VAULT_API_VERSION },
  });
  const key = readable(deleted ?? {});
  return {
    readable: tableToMarkdown(`Delete ${context.args["key_name"]}`, [
      { ...keyRow(key), "Recovery ID": key.recoveryId, "Deleted Date": key.deletedDate },
    ]),
    outputsPrefix: "AzureKeyVault.Key",
    outputsKeyField: "key.kid",
    outputs: key,
  };
}

interface CertificateBundle extends WithAttributes {
  id?: string;
  x5t?: string;
  policy?: unknown;
}

/** `azure-key-vault-certificate-list`: Get Certificates, GET /certificates. */
export async function listCertificates(context: CommandContext): Promise<CommandResult> {
  const { items, vault } = await listPage<CertificateBundle>(context, "/certificates");
  const certificates = items.map(readable);
  const rows = certificates.map((certificate) => ({
    "Certificate Name": nameOf(certificate.id),
    Thumbprint: certificate.x5t,
    Enabled: certificate.attributes?.enabled,
    Expires: certificate.attributes?.exp,
  }));
  return {
    readable: tableToMarkdown(`${vault} Certificates List`, rows),
    outputsPrefix: "AzureKeyVault.Certificate",
    outputsKeyField: "id",
    outputs: certificates,
    raw: items,
  };
}

/** `azure-key-vault-certificate-get`: Get Certificate, GET /certificates/{name}[/{version}]. */
export async function getCertificate(
  context: CommandContext<{ certificate_name: string }>,
): Promise<CommandResult> {
  const { api } = vaultOf(context);
  const path = `/certificates${segment(context.args["certificate_name"])}${segment(context.args["certificate_version"])}`;
  const certificate = readable(
    await api.get<CertificateBundle>(path, { "api-version": KEY_VAULT_API_VERSION }),
  );
  return {
    readable: tableToMarkdown(`${context.args["certificate_name"]} Information`, [
      {
        "Certificate ID": certificate.id,
        Thumbprint: certificate.x5t,
        Enabled: certificate.attributes?.enabled,
        Expires: certificate.attributes?.exp,
      },
    ]),
    outputsPrefix: "AzureKeyVault.Certificate",
    outputsKeyField: "id",
    outputs: certificate,
  };
}

/** `azure-key-vault-certificate-policy-get`: Get Certificate Policy, GET /certificates/{name}/policy. */
export async function getCertificatePolicy(
  context: CommandContext<{ certificate_name: string }>,
): Promise<CommandResult> {
  const { api } = vaultOf(context);
  const policy = readable(
    await api.get<
      WithAttributes & { id?: string; issuer?: { name?: string }; x509_props?: { subject?: string } }
    >(`/certificates${segment(context.args["certificate_name"])}/policy`, {
      "api-version": KEY_VAULT_API_VERSION,
    }),
  );
  return {
    readable: tableToMarkdown(`${context.args["certificate_name"]} Policy Information`, [
      {
        "Policy ID": policy.id,
        Issuer: policy.issuer?.name,
        Subject: policy.x509_props?.subject,
        Enabled: policy.attributes?.enabled,
      },
    ]),
    outputsPrefix: "AzureKeyVault.CertificatePolicy",
    outputsKeyField: "id",
    outputs: { ...policy, CertificateName: context.args["certificate_name"] },
  };
}
