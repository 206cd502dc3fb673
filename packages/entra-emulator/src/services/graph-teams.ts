import { createHash, randomUUID } from "node:crypto";
import { ODataError } from "../graph/odata.js";
import type { RouteContext, SeedUser } from "../types.js";
import { addressedUser, type GraphAccess, page, route, selected, teamsDenial } from "./graph-m365-shared.js";
import type { ServiceRoute } from "./types.js";

// Microsoft Teams: teams (their own seeded copy: the group routes are another module's), members, channels,
// channel members and messages, and users' online meetings. Permissions: learn.microsoft.com/graph/api/<page>.

/** teams-list. */
export const TEAMS_LIST: GraphAccess = {
  application: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
  delegated: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
};
/** team-get. */
export const TEAM_GET: GraphAccess = {
  application: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
  ],
  delegated: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
  ],
};
/** team-archive. */
export const TEAM_ARCHIVE: GraphAccess = {
  application: ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
};
/** team-list-members. */
const TEAM_MEMBERS_READ: GraphAccess = {
  application: ["TeamMember.Read.All", "TeamMember.ReadWrite.All"],
  delegated: ["TeamMember.Read.All", "TeamMember.ReadWrite.All"],
};
/** team-post-members, team-delete-members. */
export const TEAM_MEMBERS_WRITE: GraphAccess = {
  application: ["TeamMember.ReadWrite.All"],
  delegated: ["TeamMember.ReadWrite.All"],
};
/** channel-list, channel-get. */
const CHANNELS_READ: GraphAccess = {
  application: ["ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Channel.ReadBasic.All"],
  delegated: ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All"],
};
/** channel-post. */
export const CHANNEL_CREATE: GraphAccess = {
  application: ["Channel.Create", "Teamwork.Migrate.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
};
/** channel-list-members. */
export const CHANNEL_MEMBERS_READ: GraphAccess = {
  application: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
  delegated: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
};
/** channel-post-members. */
export const CHANNEL_MEMBERS_WRITE: GraphAccess = {
  application: ["ChannelMember.ReadWrite.All"],
  delegated: ["ChannelMember.ReadWrite.All"],
};
/** channel-delete. */
const CHANNEL_DELETE: GraphAccess = {
  application: ["Channel.Delete.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["Channel.Delete.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
};
/** channel-list-messages. */
const CHANNEL_MESSAGES_READ: GraphAccess = {
  application: ["ChannelMessage.Read.All"],
  delegated: ["ChannelMessage.Read.All"],
};
/** channel-post-messages (application only for migration: delegated ChannelMessage.Send). */
const CHANNEL_MESSAGES_SEND: GraphAccess = {
  application: ["Teamwork.Migrate.All"],
  delegated: ["ChannelMessage.Send"],
};
/** application-post-onlinemeetings. */
export const MEETINGS_WRITE: GraphAccess = {
  application: ["OnlineMeetings.ReadWrite.All"],
  delegated: ["OnlineMeetings.ReadWrite"],
};
/** onlinemeeting-get. */
const MEETINGS_READ: GraphAccess = {
  application: ["OnlineMeetings.Read.All", "OnlineMeetings.ReadWrite.All"],
  delegated: ["OnlineMeetings.Read", "OnlineMeetings.ReadWrite"],
};

/** The seeded teams' IDs (their Microsoft 365 group IDs). */
export const DEMO_TEAM_ID = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const RETAIL_TEAM_ID = "13be6971-79db-4f33-9d41-b25589ca25af";

type Member = Record<string, unknown> & { id: string; userId: string };
interface Channel {
  channel: Record<string, unknown> & { id: string; membershipType: string };
  members: Member[];
  messages: Array<Record<string, unknown>>;
}
interface Team {
  team: Record<string, unknown> & { id: string; isArchived: boolean };
  members: Member[];
  channels: Channel[];
}

function member(user: SeedUser, scope: string, owner: boolean): Member {
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    id: Buffer.from(`0#${scope}#${user.id}`).toString("base64").replace(/=+$/, ""),
    roles: owner ? ["owner"] : [],
    displayName: user.displayName,
    visibleHistoryStartDateTime: "0001-01-01T00:00:00Z",
    userId: user.id,
    email: user.mail ?? user.userPrincipalName,
    tenantId: "",
  };
}

function threadId(seed: string): string {
  return `19:${createHash("sha1").update(seed).digest("hex").slice(0, 32)}@thread.tacv2`;
}

function channel(
  teamId: string,
  tenantId: string,
  name: string,
  membershipType: string,
  members: Member[],
): Channel {
  const id =
    name === "General" ? `19:${teamId.replace(/-/g, "")}@thread.tacv2` : threadId(`${teamId}:${name}`);
  return {
    channel: {
      id,
      createdDateTime: "2025-03-14T10:25:00Z",
      displayName: name,
      description: name === "General" ? null : `${name} of the team.`,
      isFavoriteByDefault: null,
      email: "",
      tenantId,
      webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/${encodeURIComponent(name)}?groupId=${teamId}&tenantId=${tenantId}`,
      membershipType,
    },
    members,
    messages: [],
  };
}

function seedTeams(users: readonly SeedUser[], tenantId: string): Team[] {
  const byAlias = (alias: string) =>
    users.find((user) => user.userPrincipalName.startsWith(`${alias}@`)) ?? users[0]!;
  const make = (id: string, name: string, description: string, owners: string[], others: string[]) => {
    const members = [
      ...owners.map((alias) => member(byAlias(alias), id, true)),
      ...others.map((alias) => member(byAlias(alias), id, false)),
    ].map((entry): Member => ({ ...entry, tenantId }));
    const privateMembers = members.slice(0, 2).map((entry) => ({ ...entry, id: `${entry.id}P` }));
    const team: Team = {
      team: {
        id,
        createdDateTime: "2025-03-14T10:20:00Z",
        displayName: name,
        description,
        internalId: `19:${id.replace(/-/g, "")}@thread.tacv2`,
        classification: null,
        specialization: "none",
        visibility: "private",
        webUrl: `https://teams.microsoft.com/l/team/${encodeURIComponent(`19:${id.replace(/-/g, "")}@thread.tacv2`)}/conversations?groupId=${id}&tenantId=${tenantId}`,
        isArchived: false,
        tenantId,
        memberSettings: { allowCreateUpdateChannels: true, allowDeleteChannels: false },
        messagingSettings: { allowUserEditMessages: true, allowUserDeleteMessages: true },
      },
      members,
      channels: [
        channel(id, tenantId, "General", "standard", members),
        channel(id, tenantId, "Incident Response", "private", privateMembers),
      ],
    };
    team.channels[0]!.messages.push({
      id: "1701936000000",
      replyToId: null,
      messageType: "message",
      createdDateTime: "2026-12-06T08:00:00Z",
      importance: "normal",
      subject: null,
      from: {
        user: {
          id: members[0]!.userId,
          displayName: members[0]!["displayName"],
          userIdentityType: "aadUser",
        },
      },
      body: { contentType: "text", content: "Shift handover: two open phishing incidents." },
      channelIdentity: { teamId: id, channelId: team.channels[0]!.channel.id },
    });
    return team;
  };
  return [
    make(
      DEMO_TEAM_ID,
      "Security Operations",
      "The SOC's team: incidents, handovers and runbooks.",
      ["adelev"],
      ["meganb", "alexw"],
    ),
    make(
      RETAIL_TEAM_ID,
      "Retail Marketing",
      "Campaign planning for the retail stores.",
      ["meganb"],
      ["isaiahl"],
    ),
  ];
}

/** The user a `user@odata.bind` link names: `https://graph.microsoft.com/v1.0/users('{id}')`. */
function boundUser(context: RouteContext): SeedUser | RouteResponseError {
  const bind = (context.body as Record<string, unknown> | undefined)?.["user@odata.bind"];
  const id = typeof bind === "string" ? /users\(['"]?([^'")]+)['"]?\)/i.exec(bind)?.[1] : undefined;
  if (!id)
    return { status: 400, code: "BadRequest", message: "Bind requests not expected for action payload." };
  const wanted = decodeURIComponent(id).toLowerCase();
  const found = (context.tenant?.users ?? []).find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
  );
  return found ?? { status: 404, code: "NotFound", message: `User not found: ${decodeURIComponent(id)}` };
}

interface RouteResponseError {
  status: number;
  code: string;
  message: string;
}

const isError = (value: SeedUser | RouteResponseError): value is RouteResponseError => "code" in value;

/** The Teams routes over a fresh copy of the seeded teams. */
export function teamsRoutes(): ServiceRoute[] {
  let teams: Team[] | undefined;
  const all = (context: RouteContext) => {
    teams ??= seedTeams(context.tenant?.users ?? [], context.tenant?.id ?? "");
    return teams;
  };
  const teamOf = (context: RouteContext) => {
    const found = all(context).find((entry) => entry.team.id === context.params["team"]?.toLowerCase());
    if (!found)
      throw new ODataError("NotFound", `No team found with Group Id ${context.params["team"]}`, 404);
    return found;
  };
  const channelOf = (context: RouteContext) => {
    const found = teamOf(context).channels.find((entry) => entry.channel.id === context.params["channel"]);
    if (!found) throw new ODataError("NotFound", "Channel not found", 404);
    return found;
  };
  const addMember = (context: RouteContext, list: Member[], scope: string) => {
    const user = boundUser(context);
    if (isError(user)) return context.error(user.status, user.code, user.message);
    const roles = (context.body as { roles?: unknown }).roles;
    const added = {
      ...member(user, scope, Array.isArray(roles) && roles.includes("owner")),
      tenantId: context.tenant?.id ?? "",
    };
    const existing = list.findIndex((entry) => entry.userId === user.id);
    if (existing >= 0) list.splice(existing, 1, added);
    else list.push(added);
    return context.json(201, added);
  };
  return [
    route("GET", "/v1.0/teams", TEAMS_LIST, teamsDenial, (context) =>
      page(
        context,
        all(context).map(({ team }) => ({
          id: team.id,
          displayName: team.displayName,
          description: team.description,
          visibility: team.visibility,
          isArchived: team.isArchived,
        })),
        { defaultTop: 100, maxTop: 999 },
      ),
    ),
    route("GET", "/v1.0/teams/:team", TEAM_GET, teamsDenial, (context) =>
      context.json(200, selected(teamOf(context).team, context.query["$select"])),
    ),
    route("POST", "/v1.0/teams/:team/archive", TEAM_ARCHIVE, teamsDenial, (context) => {
      const team = teamOf(context);
      team.team.isArchived = true;
      return context.json(202, undefined, {
        location: `/teams('${team.team.id}')/operations('${randomUUID()}')`,
        "content-location": `/teams('${team.team.id}')`,
      });
    }),
    route("POST", "/v1.0/teams/:team/unarchive", TEAM_ARCHIVE, teamsDenial, (context) => {
      const team = teamOf(context);
      team.team.isArchived = false;
      return context.json(202, undefined, {
        location: `/teams('${team.team.id}')/operations('${randomUUID()}')`,
      });
    }),
    route("GET", "/v1.0/teams/:team/members", TEAM_MEMBERS_READ, teamsDenial, (context) =>
      page(context, teamOf(context).members, { defaultTop: 100, maxTop: 999 }),
    ),
    route("POST", "/v1.0/teams/:team/members", TEAM_MEMBERS_WRITE, teamsDenial, (context) => {
      const team = teamOf(context);
      return addMember(context, team.members, team.team.id);
    }),
    route("GET", "/v1.0/teams/:team/members/:member", TEAM_MEMBERS_READ, teamsDenial, (context) => {
      const found = teamOf(context).members.find((entry) => entry.id === context.params["member"]);
      return found ? context.json(200, found) : context.error(404, "NotFound", "Member not found");
    }),
    // conversationmember-update: PATCH with the member's @odata.type and roles, 200 with the member.
    route("PATCH", "/v1.0/teams/:team/members/:member", TEAM_MEMBERS_WRITE, teamsDenial, (context) => {
      const found = teamOf(context).members.find((entry) => entry.id === context.params["member"]);
      if (!found) return context.error(404, "NotFound", "Member not found");
      const roles = (context.body as { roles?: unknown } | undefined)?.roles;
      if (!Array.isArray(roles)) return context.error(400, "BadRequest", "roles is required.");
      found["roles"] = roles;
      return context.json(200, found);
    }),
    // user-list-joinedteams: the teams the user is a member of.
    route("GET", "/v1.0/users/:user/joinedTeams", TEAMS_LIST, teamsDenial, (context) => {
      const user = addressedUser(context);
      const joined = all(context).filter((entry) => entry.members.some((item) => item.userId === user.id));
      return page(
        context,
        joined.map(({ team }) => ({
          id: team.id,
          displayName: team.displayName,
          description: team.description,
          isArchived: team.isArchived,
        })),
        { defaultTop: 100, maxTop: 999 },
      );
    }),
    route("DELETE", "/v1.0/teams/:team/members/:member", TEAM_MEMBERS_WRITE, teamsDenial, (context) => {
      const team = teamOf(context);
      const before = team.members.length;
      team.members = team.members.filter((entry) => entry.id !== context.params["member"]);
      return team.members.length < before
        ? context.empty(204)
        : context.error(404, "NotFound", "Member not found");
    }),
    ...channelRoutes(teamOf, channelOf, addMember),
    ...meetingRoutes(),
  ];
}

function channelRoutes(
  teamOf: (context: RouteContext) => Team,
  channelOf: (context: RouteContext) => Channel,
  addMember: (context: RouteContext, list: Member[], scope: string) => ReturnType<RouteContext["json"]>,
): ServiceRoute[] {
  return [
    route("GET", "/v1.0/teams/:team/channels", CHANNELS_READ, teamsDenial, (context) =>
      page(
        context,
        teamOf(context).channels.map((entry) => entry.channel),
        { defaultTop: 100, maxTop: 999 },
      ),
    ),
    route("POST", "/v1.0/teams/:team/channels", CHANNEL_CREATE, teamsDenial, (context) => {
      const team = teamOf(context);
      const input = (context.body ?? {}) as {
        displayName?: unknown;
        description?: unknown;
        membershipType?: unknown;
      };
      if (typeof input.displayName !== "string" || input.displayName.trim() === "") {
        return context.error(400, "BadRequest", "Channel name cannot be empty.");
      }
      if (
        team.channels.some(
          (entry) =>
            String(entry.channel["displayName"]).toLowerCase() === String(input.displayName).toLowerCase(),
        )
      ) {
        return context.error(
          400,
          "NameAlreadyExists",
          "Channel name already existed, please use other name.",
        );
      }
      const type = typeof input.membershipType === "string" ? input.membershipType : "standard";
      const created = channel(
        team.team.id,
        String(team.team["tenantId"]),
        input.displayName,
        type,
        type === "standard" ? team.members : [],
      );
      created.channel["description"] = typeof input.description === "string" ? input.description : null;
      created.channel["createdDateTime"] = new Date().toISOString();
      team.channels.push(created);
      return context.json(201, created.channel);
    }),
    route("GET", "/v1.0/teams/:team/channels/:channel", CHANNELS_READ, teamsDenial, (context) =>
      context.json(200, channelOf(context).channel),
    ),
    route("DELETE", "/v1.0/teams/:team/channels/:channel", CHANNEL_DELETE, teamsDenial, (context) => {
      const team = teamOf(context);
      const found = channelOf(context);
      // The General channel cannot be deleted.
      if (found === team.channels[0])
        return context.error(400, "BadRequest", "General channel cannot be deleted.");
      team.channels = team.channels.filter((entry) => entry !== found);
      return context.empty(204);
    }),
    route(
      "DELETE",
      "/v1.0/teams/:team/channels/:channel/members/:member",
      CHANNEL_MEMBERS_WRITE,
      teamsDenial,
      (context) => {
        const found = channelOf(context);
        const before = found.members.length;
        found.members = found.members.filter((entry) => entry.id !== context.params["member"]);
        return found.members.length < before
          ? context.empty(204)
          : context.error(404, "NotFound", "Member not found");
      },
    ),
    route(
      "GET",
      "/v1.0/teams/:team/channels/:channel/members",
      CHANNEL_MEMBERS_READ,
      teamsDenial,
      (context) => page(context, channelOf(context).members, { defaultTop: 100, maxTop: 999 }),
    ),
    route(
      "POST",
      "/v1.0/teams/:team/channels/:channel/members",
      CHANNEL_MEMBERS_WRITE,
      teamsDenial,
      (context) => {
        const found = channelOf(context);
        return addMember(context, found.members, found.channel.id);
      },
    ),
    route(
      "GET",
      "/v1.0/teams/:team/channels/:channel/messages",
      CHANNEL_MESSAGES_READ,
      teamsDenial,
      (context) => page(context, channelOf(context).messages, { defaultTop: 20, maxTop: 50 }),
    ),
    // chatmessage-get
    route(
      "GET",
      "/v1.0/teams/:team/channels/:channel/messages/:message",
      CHANNEL_MESSAGES_READ,
      teamsDenial,
      (context) => {
        const found = channelOf(context).messages.find(
          (message) => message["id"] === context.params["message"],
        );
        return found ? context.json(200, found) : context.error(404, "NotFound", "Message not found.");
      },
    ),
    route(
      "POST",
      "/v1.0/teams/:team/channels/:channel/messages",
      CHANNEL_MESSAGES_SEND,
      teamsDenial,
      (context) => {
        const found = channelOf(context);
        const body = (context.body as { body?: { content?: string; contentType?: string } } | undefined)
          ?.body;
        if (!body?.content) return context.error(400, "BadRequest", "Message body cannot be empty.");
        const posted = {
          id: String(Date.now() + found.messages.length),
          replyToId: null,
          messageType: "message",
          createdDateTime: new Date().toISOString(),
          importance: "normal",
          from: { user: { id: context.claims.oid, userIdentityType: "aadUser" } },
          body: { contentType: body.contentType ?? "text", content: body.content },
          channelIdentity: { teamId: teamOf(context).team.id, channelId: found.channel.id },
        };
        found.messages.push(posted);
        return context.json(201, posted);
      },
    ),
  ];
}

function meetingRoutes(): ServiceRoute[] {
  const meetings = new Map<string, Record<string, unknown>>();
  return [
    route("POST", "/v1.0/users/:user/onlineMeetings", MEETINGS_WRITE, teamsDenial, (context) => {
      const organizer = addressedUser(context);
      const input = (context.body ?? {}) as Record<string, unknown>;
      const start =
        typeof input["startDateTime"] === "string" ? input["startDateTime"] : new Date().toISOString();
      const end =
        typeof input["endDateTime"] === "string"
          ? input["endDateTime"]
          : new Date(Date.parse(start) + 3_600_000).toISOString();
      const thread = `19:meeting_${Buffer.from(randomUUID()).toString("base64url").slice(0, 32)}@thread.v2`;
      const id = Buffer.from(`1*${organizer.id}*0**${thread}`).toString("base64url");
      const meeting = {
        id,
        creationDateTime: new Date().toISOString(),
        startDateTime: start,
        endDateTime: end,
        joinWebUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: context.tenant?.id, Oid: organizer.id }))}`,
        subject: typeof input["subject"] === "string" ? input["subject"] : null,
        chatInfo: { threadId: thread, messageId: "0", replyChainMessageId: null },
        participants: {
          organizer: {
            upn: organizer.userPrincipalName,
            role: "presenter",
            identity: {
              user: { id: organizer.id, displayName: organizer.displayName, tenantId: context.tenant?.id },
            },
          },
          attendees: [],
        },
        lobbyBypassSettings: { scope: "organization", isDialInBypassEnabled: false },
        allowedPresenters: "everyone",
      };
      meetings.set(`${organizer.id}/${id}`, meeting);
      return context.json(201, meeting);
    }),
    route("GET", "/v1.0/users/:user/onlineMeetings/:meeting", MEETINGS_READ, teamsDenial, (context) => {
      const organizer = addressedUser(context);
      const found = meetings.get(`${organizer.id}/${context.params["meeting"]}`);
      return found ? context.json(200, found) : context.error(404, "NotFound", "Meeting not found.");
    }),
  ];
}
