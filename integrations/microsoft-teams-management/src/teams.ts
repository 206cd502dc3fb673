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
