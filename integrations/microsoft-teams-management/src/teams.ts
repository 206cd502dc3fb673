import {
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
} from "@msint/integration-kit";

type Team = Record<string, unknown> & { id?: string; displayName?: string };

const teamPath = (context: CommandContext<{ team_id: string }>) =>
  `/v1.0/teams/${encodeURIComponent(context.args["team_id"])}`;
const HEADERS = ["id", "displayName", "description", "visibility", "isArchived"];

function clean(team: Team): Team {
  return Object.fromEntries(Object.entries(team).filter(([key]) => !key.startsWith("@odata")));
}

/** `microsoft-teams-teams-list`: GET /v1.0/teams. */
export async function listTeams(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 999);
  const { items } = await collectPages<Team>(context.api, "/v1.0/teams", { $top: limit }, limit);
  const teams = items.map(clean);
  return {
    readable: tableToMarkdown("Microsoft Teams List", teams, HEADERS),
    outputsPrefix: "MicrosoftTeams.Team",
    outputsKeyField: "id",
    outputs: teams,
    raw: items,
  };
}

/** `microsoft-teams-team-get`: GET /v1.0/teams/{id}. */
export async function getTeam(context: CommandContext<{ team_id: string }>): Promise<CommandResult> {
  const team = clean(await context.api.get<Team>(teamPath(context)));
  return {
    readable: tableToMarkdown(`Team ${team.displayName ?? team.id}`, [team], HEADERS),
    outputsPrefix: "MicrosoftTeams.Team",
    outputsKeyField: "id",
    outputs: team,
    raw: team,
  };
}

/** `microsoft-teams-member-add`: POST /v1.0/teams/{id}/members. */
export async function addMember(
  context: CommandContext<{ team_id: string; user_id: string }>,
): Promise<CommandResult> {
  const userId = context.args["user_id"];
  const member = await context.api.request<Team>({
    expect: "object",
    method: "POST",
    path: `${teamPath(context)}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: context.args["is_owner"] === "true" ? ["owner"] : [],
      "user@odata.bind": `${context.api.baseUrl}/v1.0/users('${encodeURIComponent(userId)}')`,
    },
  });
  const entry = clean(member ?? {});
  return {
    readable: `User ${userId} was added to the team ${context.args["team_id"]} successfully.`,
    outputsPrefix: "MicrosoftTeams.TeamMember",
    outputsKeyField: "id",
    outputs: entry,
    raw: member,
  };
}

/** `microsoft-teams-member-remove`: DELETE /v1.0/teams/{id}/members/{membership-id}. */
export async function removeMember(
  context: CommandContext<{ membership_id: string; team_id: string }>,
): Promise<CommandResult> {
  const membership = context.args["membership_id"];
  await context.api.request({
    method: "DELETE",
    path: `${teamPath(context)}/members/${encodeURIComponent(membership)}`,
  });
  return {
    readable: `Team member ${membership} was removed from the team ${context.args["team_id"]} successfully.`,
  };
}

/** `microsoft-teams-team-archive`: POST /v1.0/teams/{id}/archive (202 Accepted). */
export async function archiveTeam(context: CommandContext<{ team_id: string }>): Promise<CommandResult> {
  await context.api.request({ method: "POST", path: `${teamPath(context)}/archive` });
  return { readable: `Team ${context.args["team_id"]} was archived successfully.` };
}

/** `microsoft-teams-team-unarchive`: POST /v1.0/teams/{id}/unarchive (202 Accepted). */
export async function unarchiveTeam(context: CommandContext<{ team_id: string }>): Promise<CommandResult> {
  await context.api.request({ method: "POST", path: `${teamPath(context)}/unarchive` });
  return { readable: `Team ${context.args["team_id"]} was unarchived successfully.` };
}

const MEMBER_HEADERS = ["id", "displayName", "email", "roles", "userId"];

/** `microsoft-teams-members-list`: GET /v1.0/teams/{id}/members (team-list-members). */
export async function listMembers(context: CommandContext<{ team_id: string }>): Promise<CommandResult> {
  const { items } = await collectPages<Team>(context.api, `${teamPath(context)}/members`, {}, 999);
  const members = items.map(clean);
  return {
    readable: tableToMarkdown(`Team ${context.args["team_id"]} Members List:`, members, MEMBER_HEADERS),
    outputsPrefix: "MicrosoftTeams.TeamMember",
    outputsKeyField: "id",
    outputs: members,
    raw: items,
  };
}

/**
 * `microsoft-teams-member-get`: GET /v1.0/teams/{id}/members/{membership-id} (team-get-members);
 * `microsoft-teams-member-update`: PATCH it with the roles (conversationmember-update).
 */
export async function memberRequest(context: CommandContext, kind: "get" | "update"): Promise<CommandResult> {
  const team = encodeURIComponent(context.args["team_id"] ?? "");
  const path = `/v1.0/teams/${team}/members/${encodeURIComponent(context.args["membership_id"] ?? "")}`;
  const member = clean(
    kind === "get"
      ? await context.api.get<Team>(path)
      : await context.api.request<Team>({
          expect: "object",
          method: "PATCH",
          path,
          body: {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            roles: context.args["is_owner"] === "true" ? ["owner"] : [],
          },
        }),
  );
  return {
    readable: tableToMarkdown(
      kind === "get"
        ? `Team Member ${member["displayName"] ?? member.id} Details:`
        : "Team member was updated:",
      [member],
      MEMBER_HEADERS,
    ),
    outputsPrefix: "MicrosoftTeams.TeamMember",
    outputsKeyField: "id",
    outputs: member,
    raw: member,
  };
}

/** `microsoft-teams-teams-list-joined`: GET /v1.0/users/{id}/joinedTeams (user-list-joinedteams). */
export async function listJoinedTeams(context: CommandContext<{ user_id: string }>): Promise<CommandResult> {
  const user = context.args["user_id"];
  const { items } = await collectPages<Team>(
    context.api,
    `/v1.0/users/${encodeURIComponent(user)}/joinedTeams`,
    {},
    999,
  );
  const teams = items.map(clean);
  return {
    readable: tableToMarkdown(`User ${user} Teams:`, teams, HEADERS),
    outputsPrefix: "MicrosoftTeams.Team",
    outputsKeyField: "id",
    outputs: teams,
    raw: items,
  };
}
