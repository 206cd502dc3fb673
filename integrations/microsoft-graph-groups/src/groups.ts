import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

interface Group {
  id?: string;
  displayName?: string;
  description?: string;
  mail?: string;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
  createdDateTime?: string;
}

/** A group as the XSOAR integration writes it under `MSGraphGroups`. */
export function toContextGroup(group: Group): Record<string, unknown> {
  return {
    ID: group.id,
    DisplayName: group.displayName,
    Description: group.description,
    Mail: group.mail,
    MailEnabled: group.mailEnabled,
    SecurityEnabled: group.securityEnabled,
    GroupTypes: group.groupTypes,
    CreatedDateTime: group.createdDateTime,
  };
}

const HEADERS = [
  "ID",
  "DisplayName",
  "Description",
  "Mail",
  "MailEnabled",
  "SecurityEnabled",
  "GroupTypes",
  "CreatedDateTime",
];
const groupPath = (context: CommandContext<{ group_id: string }>) =>
  `/v1.0/groups/${encodeURIComponent(context.args["group_id"])}`;

/** `msgraph-groups-list-groups`: GET /v1.0/groups. */
export async function listGroups(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items, nextLink } = await collectPages<Group>(
    context.api,
    "/v1.0/groups",
    { $top: limit, $filter: context.args["filter"] },
    limit,
  );
  const groups = items.map(toContextGroup);
  let readable = tableToMarkdown("Groups:", groups, HEADERS);
  if (nextLink) readable += "\nMore groups exist: raise limit or narrow filter.\n";
  return { readable, outputsPrefix: "MSGraphGroups", outputsKeyField: "ID", outputs: groups, raw: items };
}

/** `msgraph-groups-get-group`: GET /v1.0/groups/{id}. */
export async function getGroup(context: CommandContext<{ group_id: string }>): Promise<CommandResult> {
  const group = await context.api.get<Group>(groupPath(context));
  const entry = toContextGroup(group);
  return {
    readable: tableToMarkdown(`Groups - ${group.displayName ?? group.id}:`, [entry], HEADERS),
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: entry,
    raw: group,
  };
}

/** `msgraph-groups-list-members`: GET /v1.0/groups/{id}/members. */
export async function listMembers(context: CommandContext<{ group_id: string }>): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items } = await collectPages<{
    id?: string;
    displayName?: string;
    userPrincipalName?: string;
    mail?: string;
  }>(context.api, `${groupPath(context)}/members`, { $top: limit }, limit);
  const members = items.map((member) => ({
    ID: member.id,
    DisplayName: member.displayName,
    UserPrincipalName: member.userPrincipalName,
    Mail: member.mail,
  }));
  return {
    readable: tableToMarkdown(`Group ${context.args["group_id"]} members:`, members),
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: { ID: context.args["group_id"], Members: members },
    raw: items,
  };
}

/** `msgraph-groups-add-member`: POST /v1.0/groups/{id}/members/$ref. */
export async function addMember(
  context: CommandContext<{ group_id: string; user_id: string }>,
): Promise<CommandResult> {
  const userId = context.args["user_id"];
  await context.api.request({
    method: "POST",
    path: `${groupPath(context)}/members/$ref`,
    body: { "@odata.id": `${context.api.baseUrl}/v1.0/directoryObjects/${encodeURIComponent(userId)}` },
  });
  return { readable: `User ${userId} was added to the Group ${context.args["group_id"]} successfully.` };
}

/** `msgraph-groups-remove-member`: DELETE /v1.0/groups/{id}/members/{user}/$ref. */
export async function removeMember(
  context: CommandContext<{ group_id: string; user_id: string }>,
): Promise<CommandResult> {
  const userId = context.args["user_id"];
  await context.api.request({
    method: "DELETE",
    path: `${groupPath(context)}/members/${encodeURIComponent(userId)}/$ref`,
  });
  return { readable: `User ${userId} was removed from the Group ${context.args["group_id"]} successfully.` };
}
