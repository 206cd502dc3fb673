import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

const teamPath = (context: CommandContext<{ team_id: string }>) =>
  `/v1.0/teams/${encodeURIComponent(context.args["team_id"])}`;
const channelPath = (context: CommandContext<{ channel_id: string; team_id: string }>) =>
  `${teamPath(context)}/channels/${encodeURIComponent(context.args["channel_id"])}`;

/** `microsoft-teams-create-channel`: POST /v1.0/teams/{id}/channels. */
export async function createChannel(context: CommandContext<{ team_id: string }>): Promise<CommandResult> {
  const channel = await context.api.request<{ id?: string; displayName?: string; webUrl?: string }>({
    expect: "object",
    method: "POST",
    path: `${teamPath(context)}/channels`,
    body: {
      displayName: context.args["channel_name"],
      description: context.args["description"],
      membershipType: "standard",
    },
  });
  const entry = { ID: channel?.id, DisplayName: channel?.displayName, WebUrl: channel?.webUrl };
  return {
    readable: `The channel "${context.args["channel_name"]}" was created successfully`,
    outputsPrefix: "MicrosoftTeams.Channel",
    outputsKeyField: "ID",
    outputs: entry,
    raw: channel,
  };
}

/** `microsoft-teams-channel-user-list`: GET /v1.0/teams/{id}/channels/{id}/members. */
export async function listChannelUsers(
  context: CommandContext<{ channel_id: string; team_id: string }>,
): Promise<CommandResult> {
  const response = await context.api.get<{ value?: Array<Record<string, unknown>> }>(
    `${channelPath(context)}/members`,
    undefined,
    { expect: "collection" },
  );
  const members = (response?.value ?? []).map((member) => ({
    displayName: member["displayName"],
    email: member["email"],
    userId: member["userId"],
    roles: member["roles"],
    id: member["id"],
  }));
  return {
    readable: tableToMarkdown(`Channel '${context.args["channel_id"]}' Members List:`, members, [
      "displayName",
      "email",
      "userId",
      "roles",
    ]),
    outputsPrefix: "MicrosoftTeams.ChannelList",
    outputsKeyField: "channelId",
    outputs: { channelId: context.args["channel_id"], members },
    raw: response,
  };
}

/** `microsoft-teams-add-user-to-channel`: POST /v1.0/teams/{id}/channels/{id}/members. */
export async function addUserToChannel(
  context: CommandContext<{ channel_id: string; member: string; team_id: string }>,
): Promise<CommandResult> {
  const member = context.args["member"];
  await context.api.request({
    method: "POST",
    path: `${channelPath(context)}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: context.args["owner"] === "true" ? ["owner"] : [],
      "user@odata.bind": `${context.api.baseUrl}/v1.0/users('${encodeURIComponent(member)}')`,
    },
  });
  return {
    readable: `The User "${member}" has been added to channel "${context.args["channel_id"]}" successfully.`,
  };
}

function isoTime(value: string | undefined, name: string, fallback: Date): string {
  if (!value) return fallback.toISOString();
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw new UsageError(`${name} must be an ISO 8601 time such as 2024-05-01T10:00:00Z (got "${value}").`);
  return new Date(parsed).toISOString();
}

/** `microsoft-teams-create-meeting`: POST /v1.0/users/{user}/onlineMeetings. */
export async function createMeeting(context: CommandContext<{ user: string }>): Promise<CommandResult> {
  const start = isoTime(context.args["start_time"], "start_time", new Date());
  const end = isoTime(context.args["end_time"], "end_time", new Date(Date.parse(start) + 30 * 60_000));
  const meeting = await context.api.request<Record<string, unknown>>({
    expect: "object",
    method: "POST",
    path: `/v1.0/users/${encodeURIComponent(context.args["user"])}/onlineMeetings`,
    body: { subject: context.args["subject"], startDateTime: start, endDateTime: end },
  });
  return {
    readable: tableToMarkdown("The meeting was created successfully", [
      {
        Subject: meeting?.["subject"],
        Start: meeting?.["startDateTime"],
        "Join URL": meeting?.["joinWebUrl"],
      },
    ]),
    outputsPrefix: "MicrosoftTeams.CreateMeeting",
    outputsKeyField: "id",
    outputs: meeting,
    raw: meeting,
  };
}
