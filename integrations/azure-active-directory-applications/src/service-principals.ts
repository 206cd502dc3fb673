import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type ServicePrincipal = Record<string, unknown> & { id?: string };

const SELECT = [
  "id,appId,displayName,accountEnabled,servicePrincipalType,appOwnerOrganizationId,notes",
  "appRoleAssignmentRequired,preferredSingleSignOnMode,replyUrls",
].join(",");
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
  const { args } = context;
  const body: Record<string, unknown> = {};
  if (args["account_enabled"] !== undefined) body["accountEnabled"] = args["account_enabled"] === "true";
  if (args["app_role_assignment_required"] !== undefined) {
    body["appRoleAssignmentRequired"] = args["app_role_assignment_required"] === "true";
  }
  if (args["display_name"] !== undefined) body["displayName"] = args["display_name"];
  if (args["preferred_single_sign_on_mode"] !== undefined) {
    body["preferredSingleSignOnMode"] = args["preferred_single_sign_on_mode"];
  }
  if (args["reply_urls"] !== undefined) {
    body["replyUrls"] = args["reply_urls"]
      .split(",")
      .map((url) => url.trim())
      .filter(Boolean);
  }
  if (args["notes"] !== undefined) body["notes"] = args["notes"];
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      "Nothing to update: give account_enabled, app_role_assignment_required, display_name, preferred_single_sign_on_mode, reply_urls or notes.",
    );
  }
  await context.api.request({ method: "PATCH", path: servicePrincipalPath(context), body });
  return { readable: `Service ${context.args["id"] ?? context.args["app_id"]} was updated successfully.` };
}

/** `msgraph-apps-service-principal-remove`: DELETE /v1.0/servicePrincipals/{id}. */
export async function removeServicePrincipal(context: CommandContext): Promise<CommandResult> {
  await context.api.request({ method: "DELETE", path: servicePrincipalPath(context) });
  return { readable: `Service ${context.args["id"] ?? context.args["app_id"]} was deleted.` };
}

/** `msgraph-apps-service-principal-password-add`: POST /v1.0/servicePrincipals/{id}/addPassword. */
export async function addPassword(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const passwordCredential: Record<string, string> = {};
  if (args["display_name"]) passwordCredential["displayName"] = args["display_name"];
  if (args["start_date_time"]) passwordCredential["startDateTime"] = args["start_date_time"];
  if (args["end_date_time"]) passwordCredential["endDateTime"] = args["end_date_time"];
  const credential = clean(
    await context.api.request<ServicePrincipal>({
      method: "POST",
      path: `${servicePrincipalPath(context)}/addPassword`,
      body: { passwordCredential },
      expect: "object",
    }),
  );
  return {
    readable: tableToMarkdown(
      `A new password was added to ${args["id"] ?? args["app_id"]}`,
      [credential],
      ["keyId", "displayName", "hint", "startDateTime", "endDateTime"],
    ),
    outputsPrefix: "MSGraphApplication.keyCredentials",
    outputsKeyField: "keyId",
    outputs: credential,
    raw: credential,
  };
}

/** `msgraph-apps-service-principal-password-remove`: POST /v1.0/servicePrincipals/{id}/removePassword {keyId}. */
export async function removePassword(context: CommandContext): Promise<CommandResult> {
  const keyId = context.args["key_id"] ?? "";
  await context.api.request({
    method: "POST",
    path: `${servicePrincipalPath(context)}/removePassword`,
    body: { keyId },
  });
  return {
    readable: `The password ${keyId} was removed from ${context.args["id"] ?? context.args["app_id"]}.`,
  };
}
