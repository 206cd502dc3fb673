import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

type Entry = Record<string, unknown> & { id?: string };

const rolePath = (context: CommandContext<{ role_id: string }>) =>
  `/v1.0/directoryRoles/${encodeURIComponent(context.args["role_id"])}`;

/** `msgraph-identity-directory-roles-list`: GET /v1.0/directoryRoles. */
export async function listDirectoryRoles(context: CommandContext): Promise<CommandResult> {
  const { items } = await collectPages<Entry>(
    context.api,
    "/v1.0/directoryRoles",
    {},
    limitArgument(context, 999),
  );
  const roles = items.map(({ id, displayName, roleTemplateId, description }) => ({
    id,
    displayName,
    roleTemplateId,
    description,
  }));
  return {
    readable: tableToMarkdown("Directory roles:", roles, [
      "id",
      "displayName",
      "description",
      "roleTemplateId",
    ]),
    outputsPrefix: "MSGraphIdentity.Role",
    outputsKeyField: "id",
    outputs: roles,
    raw: items,
  };
}

/** `msgraph-identity-directory-role-members-list`: GET /v1.0/directoryRoles/{id}/members. */
export async function listDirectoryRoleMembers(
  context: CommandContext<{ role_id: string }>,
): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items } = await collectPages<Entry>(
    context.api,
    `${rolePath(context)}/members`,
    { $top: limit },
    limit,
  );
  const members = items.map(({ id, displayName, userPrincipalName }) => ({
    id,
    displayName,
    userPrincipalName,
  }));
  return {
    readable: tableToMarkdown(`Role '${context.args["role_id"]}' members:`, members),
    outputsPrefix: "MSGraphIdentity.RoleMember",
    outputsKeyField: "role_id",
    outputs: { role_id: context.args["role_id"], user_id: members.map((member) => member.id) },
    raw: items,
  };
}

/** `msgraph-identity-directory-role-member-add`: POST /v1.0/directoryRoles/{id}/members/$ref. */
export async function addDirectoryRoleMember(
  context: CommandContext<{ role_id: string; user_id: string }>,
): Promise<CommandResult> {
  const userId = context.args["user_id"];
  await context.api.request({
    method: "POST",
    path: `${rolePath(context)}/members/$ref`,
    body: { "@odata.id": `${context.api.baseUrl}/v1.0/directoryObjects/${encodeURIComponent(userId)}` },
  });
  return { readable: `User ID ${userId} has been added to role ${context.args["role_id"]}` };
}

/** `msgraph-identity-ca-policies-list`: GET /v1.0/identity/conditionalAccess/policies. */
export async function listConditionalAccessPolicies(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items } = await collectPages<Entry>(
    context.api,
    "/v1.0/identity/conditionalAccess/policies",
    { $filter: context.args["filter"] },
    limit,
  );
  const policies = items.map(({ id, displayName, state, createdDateTime, modifiedDateTime }) => ({
    id,
    displayName,
    state,
    createdDateTime,
    modifiedDateTime,
  }));
  return {
    readable: tableToMarkdown("Conditional Access Policies:", policies),
    outputsPrefix: "MSGraph.ConditionalAccess.Policy",
    outputsKeyField: "id",
    outputs: items,
    raw: items,
  };
}

/** `msgraph-identity-ip-named-locations-list`: GET /v1.0/identity/conditionalAccess/namedLocations (IP ones). */
export async function listNamedLocations(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const page = Number(context.args["page"] ?? "1");
  if (!Number.isInteger(page) || page < 1) {
    throw new UsageError(`page must be a whole number from 1 (got "${context.args["page"]}").`);
  }
  const odata = context.args["odata_query"];
  // With odata_query, that filter alone (Graph documents isof only on its own for named locations), and the IP
  // locations kept here by their @odata.type. Pages of `limit` locations: the last of `page` pages is shown.
  const { items: all } = await collectPages<Entry>(
    context.api,
    "/v1.0/identity/conditionalAccess/namedLocations",
    { $filter: odata ?? "isof('microsoft.graph.ipNamedLocation')" },
    odata ? 999 : limit * page,
  );
  const ip = all.filter(
    (location) => !odata || location["@odata.type"] === "#microsoft.graph.ipNamedLocation",
  );
  const items = ip.slice(limit * (page - 1), limit * page);
  const locations = items.map((location) => ({
    id: location.id,
    display_name: location["displayName"],
    time_created: location["createdDateTime"],
    time_modified: location["modifiedDateTime"],
    is_trusted: location["isTrusted"],
    ip_ranges: ((location["ipRanges"] as Array<{ cidrAddress?: string }>) ?? []).map(
      (range) => range.cidrAddress,
    ),
  }));
  return {
    readable: tableToMarkdown("IP named locations:", locations),
    outputsPrefix: "MSGraph.conditionalAccess.namedIpLocations",
    outputsKeyField: "id",
    outputs: locations,
    raw: items,
  };
}
