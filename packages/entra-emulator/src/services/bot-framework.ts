import { randomUUID } from "node:crypto";
import type { RouteContext } from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// The Bot Connector service of the Bot Framework as Microsoft Teams runs it (serviceUrl
// https://smba.trafficmanager.net/<region>/ and the government clouds' smba.infra.* hosts): a bot creates a
// one-on-one conversation and sends, updates and lists activities. The bot's token comes from client credentials
// against the botframework.com tenant for https://api.botframework.com (no roles: any token for the audience).
// learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference (Create Conversation,
// Send to Conversation, Update Activity, Get Conversations) and bot-framework-rest-connector-authentication.

/** A conversation the bot takes part in: a Teams channel (`19:…@thread.tacv2`) or a personal chat it created. */
interface Conversation {
  id: string;
  isGroup: boolean;
  tenantId: string | undefined;
  members: Array<Record<string, unknown>>;
  activities: Array<Record<string, unknown>>;
}

/**
 * Teams channel conversations: a channel's ID is its conversation ID, and `{channelId};messageid={id}` a thread of it.
 */
const CHANNEL_CONVERSATION = /^19:[^@;]+@thread\.(tacv2|skype)(;messageid=\d+)?$/;

/** The Connector's ErrorResponse: `{ "error": { "code", "message" } }`. */
function connectorError(context: RouteContext, status: number, code: string, message: string) {
  return context.json(status, { error: { code, message } });
}

/** What makes an activity sendable: type "message" with text or attachments. */
function activityProblem(body: unknown): string | undefined {
  const activity = (body ?? {}) as Record<string, unknown>;
  if (activity["type"] !== "message") return "Activity type must be 'message'.";
  const attachments = activity["attachments"];
  const hasText = typeof activity["text"] === "string" && activity["text"] !== "";
  if (!hasText && !(Array.isArray(attachments) && attachments.length > 0))
    return "Activity must carry text or attachments.";
  return undefined;
}

function botRoutes(): ServiceRoute[] {
  const conversations = new Map<string, Conversation>();
  const conversationOf = (context: RouteContext): Conversation | undefined => {
    const id = context.params["conversation"] ?? "";
    const known = conversations.get(id);
    if (known) return known;
    if (!CHANNEL_CONVERSATION.test(id)) return undefined;
    const created: Conversation = { id, isGroup: true, tenantId: undefined, members: [], activities: [] };
    conversations.set(id, created);
    return created;
  };
  const notFound = (context: RouteContext) =>
    connectorError(context, 404, "ConversationNotFound", "Conversation not found.");
  return [
    {
      method: "GET",
      path: "/:region/v3/conversations",
      handler: (context) =>
        context.json(200, {
          conversations: [...conversations.values()].map((entry) => ({
            id: entry.id,
            members: entry.members,
          })),
          continuationToken: null,
        }),
    },
    {
      method: "POST",
      path: "/:region/v3/conversations",
      handler: (context) => {
        const body = (context.body ?? {}) as Record<string, unknown>;
        const members = Array.isArray(body["members"])
          ? (body["members"] as Array<Record<string, unknown>>)
          : [];
        const tenant = (body["channelData"] as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
        if (members.length !== 1 || typeof members[0]?.["id"] !== "string")
          return connectorError(context, 400, "BadArgument", "Conversation must have exactly one member.");
        if (typeof tenant !== "string" || tenant === "")
          return connectorError(
            context,
            400,
            "BadArgument",
            "Tenant ID is required (channelData.tenant.id).",
          );
        const id = `a:1${Buffer.from(`${tenant}|${members[0]!["id"]}`).toString("base64url")}`;
        conversations.set(
          id,
          conversations.get(id) ?? { id, isGroup: false, tenantId: tenant, members, activities: [] },
        );
        return context.json(201, { id });
      },
    },
    {
      method: "POST",
      path: "/:region/v3/conversations/:conversation/activities",
      handler: (context) => {
        const conversation = conversationOf(context);
        if (!conversation) return notFound(context);
        const problem = activityProblem(context.body);
        if (problem) return connectorError(context, 400, "BadArgument", problem);
        const id = String(1_765_000_000_000 + conversation.activities.length);
        conversation.activities.push({ ...(context.body as Record<string, unknown>), id });
        return context.json(201, { id });
      },
    },
    {
      method: "PUT",
      path: "/:region/v3/conversations/:conversation/activities/:activity",
      handler: (context) => {
        const conversation = conversationOf(context);
        if (!conversation) return notFound(context);
        const index = conversation.activities.findIndex(
          (entry) => entry["id"] === context.params["activity"],
        );
        if (index < 0) return connectorError(context, 404, "ActivityNotFound", "Activity not found.");
        const problem = activityProblem(context.body);
        if (problem) return connectorError(context, 400, "BadArgument", problem);
        const id = context.params["activity"]!;
        conversation.activities[index] = {
          ...(context.body as Record<string, unknown>),
          id,
          updated: randomUUID(),
        };
        return context.json(200, { id });
      },
    },
  ];
}

/** The Bot Connector service (Teams' serviceUrl hosts). */
export const botFrameworkService: EmulatedService = {
  key: "bot-framework",
  displayName: "Bot Framework (Bot Connector service)",
  audiences: ["https://api.botframework.com", "https://api.botframework.us"],
  hosts:
    /^(smba\.trafficmanager\.net|smba\.infra\.(gcc\.teams\.microsoft\.com|gov\.teams\.microsoft\.us|dod\.teams\.microsoft\.us))$/i,
  routes: botRoutes,
};
