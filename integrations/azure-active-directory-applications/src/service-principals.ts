import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type ServicePrincipal = Record<string, unknown> & { id?: string };

const SELECT = "id,appId,displayName,accountEnabled,servicePrincipalType,appOwnerOrganizationId,notes";
const HEADERS = [
  "id",
  "appId",
  "displayName",
  "accountEnabled",
  "servicePrincipalType",
  "appOwnerOrganizationId",
];

/** `/v1.0/servicePrincipals/{id}` or `/v1.0/servicePrincipals(appId='{app_id}')`. */
function servicePrincipalPath(context: CommandContext): string {
  const { id, app_id: appId } = context.args;
  if (id) return `/v1.0/servicePrincipals/${encodeURIComponent(id)}`;
  if (appId) return `/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')`;
  throw new UsageError("Give the service principal's id or its app_id.");
}

function clean(entry: ServicePrincipal): ServicePrincipal {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !key.startsWith("@odata")));
}

/** `msgraph-apps-service-principal-list`: GET /v1.0/servicePrincipals. */
export async function listServicePrincipals(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items } = await collectPages<ServicePrincipal>(
    context.api,
    "/v1.0/servicePrincipals",
    { $top: limit, $select: SELECT, $filter: context.args["filter"] },
    limit,
  );
  const entries = items.map(clean);
  return {
    readable: tableToMarkdown("Available service (application):", entries, HEADERS),
    outputsPrefix: "MSGraphApplication",
    outputsKeyField: "id",
    outputs: entries,
    raw: items,
  };
}

/** `msgraph-apps-service-principal-get`: GET /v1.0/servicePrincipals/{id}. */
export async function getServicePrincipal(context: CommandContext): Promise<CommandResult> {
  const entry = clean(
    await context.api.get<ServicePrincipal>(servicePrincipalPath(context), { $select: SELECT }),
  );
  return {
    readable: tableToMarkdown(
      `Properties of service principal ${entry["displayName"] ?? entry.id}`,
      [entry],
      HEADERS,
    ),
    outputsPrefix: "MSGraphApplication",
    outputsKeyField: "id",
    outputs: entry,
    raw: entry,
  };
}

/** `msgraph-apps-service-principal-update`: PATCH /v1.0/servicePrincipals/{id}. */
export async function updateServicePrincipal(context: CommandContext): Promise<CommandResult> {
  const { account_enabled: accountEnabled, display_name: displayName, notes } = context.args;
  const body: Record<string, unknown> = {};
  if (accountEnabled !== undefined) body["accountEnabled"] = accountEnabled === "true";
  if (displayName !== undefined) body["displayName"] = displayName;
  if (notes !== undefined) body["notes"] = notes;
  if (Object.keys(body).length === 0)
    throw new UsageError("Nothing to update: give account_enabled, display_name or notes.");
  await context.api.request({ method: "PATCH", path: servicePrincipalPath(context), body });
  return { readable: `Service ${context.args["id"] ?? context.args["app_id"]} was updated successfully.` };
}

/** `msgraph-apps-service-principal-remove`: DELETE /v1.0/servicePrincipals/{id}. */
export async function removeServicePrincipal(context: CommandContext): Promise<CommandResult> {
  await context.api.request({ method: "DELETE", path: servicePrincipalPath(context) });
  return { readable: `Service ${context.args["id"] ?? context.args["app_id"]} was deleted.` };
}
