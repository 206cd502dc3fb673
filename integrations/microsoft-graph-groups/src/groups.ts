import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

interface Group {
  id?: string;
  displayName?: string;
  [field: string]: unknown;
}

/** Fields XSOAR leaves out of the context (MicrosoftGraphGroups.py, parse_outputs). */
const DROPPED = new Set([
  "resourceProvisioningOptions",
  "securityIdentifier",
  "onPremisesSecurityIdentifier",
  "onPremisesNetBiosName",
  "onPremisesProvisioningErrors",
  "onPremisesSamAccountName",
  "resourceBehaviorOptions",
  "creationOptions",
  "preferredDataLocation",
]);

/** Graph's camelCase fields as XSOAR's PascalCase context keys (`id` → `ID`), without OData annotations. */
export function toContextEntry(entity: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = Object.create(null);
  for (const [field, value] of Object.entries(entity)) {
    if (field.startsWith("@") || DROPPED.has(field)) continue;
    entry[field === "id" ? "ID" : field.charAt(0).toUpperCase() + field.slice(1)] = value;
  }
  return entry;
}

/** A group as the XSOAR integration writes it under `MSGraphGroups`. */
export const toContextGroup = (group: Group): Record<string, unknown> => toContextEntry(group);

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

/** `top`: Graph's page size, 1 to 999. */
function topOf(context: CommandContext): number {
  const top = Number(context.args["top"] ?? 100);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new UsageError(`top must be a whole number from 1 to 999 (got "${context.args["top"]}").`);
  }
  return top;
}

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

/** `msgraph-groups-list-groups`: GET /v1.0/groups, one page (`top`), then `next_link`. */
export async function listGroups(context: CommandContext): Promise<CommandResult> {
  const { args, api } = context;
  const page = args["next_link"]
    ? await api.get<Page<Group>>(args["next_link"], undefined, { expect: "collection" })
    : await api.get<Page<Group>>(
        "/v1.0/groups",
        { $top: topOf(context), $orderby: args["order_by"], $filter: args["filter"] },
        { expect: "collection" },
      );
  const groups = (page?.value ?? []).map(toContextGroup);
  const nextLink = page?.["@odata.nextLink"];
  const title = nextLink
    ? "Groups (Note that there are more results. Please use the next_link argument to see them.):"
    : "Groups:";
  let readable = tableToMarkdown(title, groups, HEADERS);
  if (nextLink) {
    readable += `\nNext page: ${context.formatCommand("msgraph-groups-list-groups", { next_link: nextLink })}\n`;
  }
  return {
    readable,
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: groups,
    ...(nextLink ? { additionalOutputs: { MSGraphGroupsNextLink: { GroupsNextLink: nextLink } } } : {}),
    raw: page,
  };
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

/** `msgraph-groups-create-group`: POST /v1.0/groups (group-post-groups). */
export async function createGroup(
  context: CommandContext<{ display_name: string; mail_nickname: string; security_enabled: string }>,
): Promise<CommandResult> {
  const { args } = context;
  const body = {
    displayName: args.display_name,
    mailNickname: args.mail_nickname,
    mailEnabled: args["mail_enabled"] === "true",
    securityEnabled: args.security_enabled === "true",
  };
  const group = await context.api.request<Group>({ method: "POST", path: "/v1.0/groups", body });
  const entry = toContextGroup(group ?? {});
  return {
    readable: tableToMarkdown(`${args.display_name} was created successfully:`, [entry], HEADERS),
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: entry,
    raw: group,
  };
}

/** `msgraph-groups-delete-group`: DELETE /v1.0/groups/{id} (group-delete). */
export async function deleteGroup(context: CommandContext<{ group_id: string }>): Promise<CommandResult> {
  await context.api.request({ method: "DELETE", path: groupPath(context) });
  const groupId = context.args["group_id"];
  return {
    readable: `Group: "${groupId}" was deleted successfully.`,
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: { ID: groupId, Deleted: true },
  };
}

/** `msgraph-groups-list-members`: GET /v1.0/groups/{id}/members, one page (`top`), then `next_link`. */
export async function listMembers(context: CommandContext<{ group_id: string }>): Promise<CommandResult> {
  const { args, api } = context;
  const groupId = args["group_id"];
  // $count and $filter on members are advanced queries: Graph wants ConsistencyLevel: eventual with them
  // (learn.microsoft.com/graph/aad-advanced-queries).
  const advanced = args["count"] === "true" || Boolean(args["filter"]);
  const page = args["next_link"]
    ? await api.get<Page<Record<string, unknown>>>(args["next_link"], undefined, { expect: "collection" })
    : await api.get<Page<Record<string, unknown>>>(
        `${groupPath(context)}/members`,
        {
          $top: topOf(context),
          $filter: args["filter"],
          ...(args["count"] === "true" ? { $count: "true" } : {}),
        },
        { expect: "collection", ...(advanced ? { headers: { ConsistencyLevel: "eventual" } } : {}) },
      );
  const members = (page?.value ?? []).map(toContextEntry);
  if (members.length === 0) return { readable: `The group ${groupId} has no members.`, raw: page };
  const nextLink = page?.["@odata.nextLink"];
  let readable = tableToMarkdown(
    `Group ${groupId} members${nextLink ? " (Note that there are more results. Please use the next_link argument to see them.)" : ""}:`,
    members,
    ["ID", "DisplayName", "JobTitle", "Mail", "UserPrincipalName"],
  );
  if (nextLink) {
    readable += `\nNext page: ${context.formatCommand("msgraph-groups-list-members", { group_id: groupId, next_link: nextLink })}\n`;
  }
  return {
    readable,
    outputsPrefix: "MSGraphGroups",
    outputsKeyField: "ID",
    outputs: { ID: groupId, Members: members, ...(nextLink ? { MembersNextLink: nextLink } : {}) },
    raw: page,
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
