import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { allPages, channelId, findUser, teamId, teamName } from "./lookup.js";

const teamPath = (team: string) => `/v1.0/teams/${encodeURIComponent(team)}`;
const channelPath = (team: string, channel: string) =>
  `${teamPath(team)}/channels/${encodeURIComponent(channel)}`;

/** The team (by name or ID) and, when `channelArgument` is given, the channel (by name or ID) a command names. */
async function target(
  context: CommandContext,
  channelArgument?: string,
): Promise<{ team: string; channel: string }> {
  const team = await teamId(context.api, teamName(context));
  const channel = channelArgument
    ? await channelId(context.api, team, context.args[channelArgument] ?? "")
    : "";
  return { team, channel };
}

/** `microsoft-teams-create-channel`: POST /v1.0/teams/{id}/channels. */
export async function createChannel(
  context: CommandContext<{ channel_name: string }>,
): Promise<CommandResult> {
  const { team } = await target(context);
  const type = context.args["membership_type"] ?? "standard";
  const owner = context.args["owner_user"];
  if (type !== "standard" && !owner && !delegatedInstance(context)) {
    // channel-post: an app creating a private or shared channel must name its owner.
    throw new UsageError(`A ${type} channel created by an app needs owner_user=<user>.`);
  }
  const members = owner
    ? [
        {
          "@odata.type": "#microsoft.graph.aadUserConversationMember",
          roles: ["owner"],
          "user@odata.bind": `${context.api.baseUrl}/v1.0/users('${(await findUser(context.api, owner)).id}')`,
        },
      ]
    : undefined;
  const channel = await context.api.request<{ id?: string; displayName?: string; webUrl?: string }>({
    expect: "object",
    method: "POST",
    path: `${teamPath(team)}/channels`,
    body: {
      displayName: context.args.channel_name,
      description: context.args["description"],
      membershipType: type,
      ...(members ? { members } : {}),
    },
  });
  const entry = { ID: channel?.id, DisplayName: channel?.displayName, WebUrl: channel?.webUrl };
  return {
    readable: `The channel "${context.args.channel_name}" was created successfully`,
    outputsPrefix: "MicrosoftTeams.Channel",
    outputsKeyField: "ID",
    outputs: entry,
    raw: channel,
  };
}

function delegatedInstance(context: CommandContext): boolean {
  return String(context.params["auth_type"] ?? "").toLowerCase() === "authorization code";
}

/** `close-channel`: DELETE /v1.0/teams/{id}/channels/{id}. */
export async function closeChannel(context: CommandContext): Promise<CommandResult> {
  if (!context.args["channel"]) throw new UsageError("Give channel=<channel name> (and team).");
  const { team, channel } = await target(context, "channel");
  await context.api.request({ method: "DELETE", path: channelPath(team, channel) });
  return { readable: "Channel was successfully closed." };
}

interface ChannelMember {
  id?: string;
  displayName?: string;
  email?: string;
  userId?: string;
  roles?: string[];
}

/** `microsoft-teams-channel-user-list`: GET /v1.0/teams/{id}/channels/{id}/members. */
export async function listChannelUsers(
  context: CommandContext<{ channel_name: string }>,
): Promise<CommandResult> {
  const { team, channel } = await target(context, "channel_name");
  const members = await allPages<ChannelMember & Record<string, unknown>>(
    context.api,
    `${channelPath(team, channel)}/members`,
  );
  return {
    readable: tableToMarkdown(`Channel '${context.args.channel_name}' Members List:`, members, [
      "displayName",
      "email",
      "userId",
      "roles",
    ]),
    outputsPrefix: "MicrosoftTeams.ChannelList",
    outputsKeyField: "channelId",
    outputs: { channelId: channel, channelName: context.args.channel_name, members },
    raw: members,
  };
}

/** `microsoft-teams-add-user-to-channel`: POST /v1.0/teams/{id}/channels/{id}/members. */
export async function addUserToChannel(
  context: CommandContext<{ channel: string; member: string }>,
): Promise<CommandResult> {
  const { team, channel } = await target(context, "channel");
  const user = await findUser(context.api, context.args.member);
  await context.api.request({
    method: "POST",
    path: `${channelPath(team, channel)}/members`,
    body: {
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      roles: context.args["owner"] === "true" ? ["owner"] : [],
      "user@odata.bind": `${context.api.baseUrl}/v1.0/users('${user.id}')`,
    },
  });
  return {
    readable: `The User "${context.args.member}" has been added to channel "${context.args.channel}" successfully.`,
  };
}

/** `microsoft-teams-user-remove-from-channel`: DELETE …/channels/{id}/members/{membership-id}. */
export async function removeUserFromChannel(
  context: CommandContext<{ channel_name: string; member: string }>,
): Promise<CommandResult> {
  const { team, channel } = await target(context, "channel_name");
  const wanted = context.args.member.toLowerCase();
  const members = await allPages<ChannelMember>(context.api, `${channelPath(team, channel)}/members`);
  const found = members.find((entry) =>
    [entry.displayName, entry.email, entry.userId].some((value) => value?.toLowerCase() === wanted),
  );
  if (!found?.id)
    throw new UsageError(
      `"${context.args.member}" is not a member of the channel "${context.args.channel_name}".`,
    );
  await context.api.request({
    method: "DELETE",
    path: `${channelPath(team, channel)}/members/${encodeURIComponent(found.id)}`,
  });
  return {
    readable: `The user "${context.args.member}" has been removed from the channel "${context.args.channel_name}" successfully.`,
  };
}

function isoTime(value: string | undefined, name: string, fallback: Date): string {
  if (!value) return fallback.toISOString();
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw new UsageError(`${name} must be an ISO 8601 time such as 2024-05-01T10:00:00Z (got "${value}").`);
  return new Date(parsed).toISOString();
}

/** `microsoft-teams-create-meeting`: POST /v1.0/users/{organizer}/onlineMeetings. */
export async function createMeeting(
  context: CommandContext<{ member: string; subject: string }>,
): Promise<CommandResult> {
  const start = isoTime(context.args["start_time"], "start_time", new Date());
  const end = isoTime(context.args["end_time"], "end_time", new Date(Date.parse(start) + 30 * 60_000));
  const organizer = await findUser(context.api, context.args.member);
  const meeting = await context.api.request<Record<string, unknown>>({
    expect: "object",
    method: "POST",
    path: `/v1.0/users/${encodeURIComponent(organizer.id)}/onlineMeetings`,
    body: { subject: context.args.subject, startDateTime: start, endDateTime: end },
  });
  const chat = (meeting?.["chatInfo"] ?? {}) as { threadId?: string; messageId?: string };
  const user = (
    meeting?.["participants"] as {
      organizer?: { identity?: { user?: { id?: string; displayName?: string } } };
    }
  )?.organizer?.identity?.user;
  const entry = {
    id: meeting?.["id"],
    subject: meeting?.["subject"],
    creationDateTime: meeting?.["creationDateTime"],
    startDateTime: meeting?.["startDateTime"],
    endDateTime: meeting?.["endDateTime"],
    threadId: chat.threadId,
    messageId: chat.messageId,
    joinWebUrl: meeting?.["joinWebUrl"],
    participantId: user?.id,
    participantDisplayName: user?.displayName,
  };
  return {
    readable: tableToMarkdown("The meeting was created successfully", [
      { Subject: entry.subject, Start: entry.startDateTime, "Join URL": entry.joinWebUrl },
    ]),
    outputsPrefix: "MicrosoftTeams.CreateMeeting",
    outputsKeyField: "id",
    outputs: entry,
    raw: meeting,
  };
}
