import { createHash, randomUUID } from "node:crypto";
import { ODataError } from "../graph/odata.js";
import type { RouteContext, SeedUser } from "../types.js";
import { addressedUser, type GraphAccess, page, route, teamsDenial } from "./graph-m365-shared.js";
import type { ServiceRoute } from "./types.js";

// Teams chats (one-on-one and group) with their members and messages. A user sees the chats they are a member of.
// Permissions: the "Permissions" table of each page under learn.microsoft.com/graph/api/.

/** chat-list (GET /chats is delegated only; apps list a user's chats). */
const CHATS_LIST: GraphAccess = {
  application: ["Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"],
  delegated: ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"],
};
/** chat-list-members. */
const CHAT_MEMBERS: GraphAccess = {
  application: [
    "ChatMember.Read.All",
    "ChatMember.ReadWrite.All",
    "Chat.ReadBasic.All",
    "Chat.Read.All",
    "Chat.ReadWrite.All",
  ],
  delegated: ["ChatMember.Read", "ChatMember.ReadWrite", "Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"],
};
/** chat-list-messages. */
const CHAT_MESSAGES: GraphAccess = {
  application: ["Chat.Read.All", "Chat.ReadWrite.All"],
  delegated: ["Chat.Read", "Chat.ReadWrite"],
};
/** chat-post-messages (application only for migration). */
const CHAT_SEND: GraphAccess = {
  application: ["Teamwork.Migrate.All"],
  delegated: ["ChatMessage.Send", "Chat.ReadWrite"],
};

/** chat-post. */
const CHAT_CREATE: GraphAccess = {
  application: ["Chat.Create", "Teamwork.Migrate.All", "Chat.ReadWrite.All"],
  delegated: ["Chat.Create", "Chat.ReadWrite"],
};
/** chat-post-members. */
const CHAT_MEMBERS_WRITE: GraphAccess = {
  application: ["ChatMember.ReadWrite.All", "Chat.ReadWrite.All"],
  delegated: ["ChatMember.ReadWrite", "Chat.ReadWrite"],
};
/** chat-patch. */
const CHAT_UPDATE: GraphAccess = {
  application: ["Chat.ReadWrite.All"],
  delegated: ["Chat.ReadWrite"],
};

interface Chat {
  chat: Record<string, unknown> & { id: string };
  members: Array<Record<string, unknown> & { userId: string }>;
  messages: Array<Record<string, unknown>>;
}

/** A chat member from a `user@odata.bind` link (`…/users('{id or UPN}')`), or why there is none. */
function chatMember(
  users: readonly SeedUser[],
  chatId: string,
  tenantId: string,
  input: unknown,
): Chat["members"][number] | string {
  const entry = (input ?? {}) as Record<string, unknown>;
  const bind = entry["user@odata.bind"];
  const id = typeof bind === "string" ? /users\(['"]?([^'")]+)['"]?\)/i.exec(bind)?.[1] : undefined;
  if (!id) return "Each member needs user@odata.bind.";
  const wanted = decodeURIComponent(id).toLowerCase();
  const user = users.find(
    (candidate) => candidate.id === wanted || candidate.userPrincipalName.toLowerCase() === wanted,
  );
  if (!user) return `User not found: ${decodeURIComponent(id)}`;
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    id: Buffer.from(`${chatId}#${user.id}`).toString("base64").replace(/=+$/, ""),
    roles: Array.isArray(entry["roles"]) ? entry["roles"] : ["owner"],
    displayName: user.displayName,
    userId: user.id,
    email: user.mail ?? user.userPrincipalName,
    tenantId,
    visibleHistoryStartDateTime:
      typeof entry["visibleHistoryStartDateTime"] === "string"
        ? entry["visibleHistoryStartDateTime"]
        : "0001-01-01T00:00:00Z",
  };
}

function seedChats(users: readonly SeedUser[], tenantId: string): Chat[] {
  const byAlias = (alias: string) =>
    users.find((user) => user.userPrincipalName.startsWith(`${alias}@`)) ?? users[0]!;
  const make = (
    chatType: string,
    topic: string | null,
    aliases: string[],
    lines: Array<[string, string]>,
  ): Chat => {
    const people = aliases.map(byAlias);
    const id =
      chatType === "oneOnOne"
        ? `19:${people.map((user) => user.id).join("_")}@unq.gbl.spaces`
        : `19:${createHash("sha1").update(String(topic)).digest("hex").slice(0, 32)}@thread.v2`;
    const members = people.map((user) => ({
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
      id: Buffer.from(`${id}#${user.id}`).toString("base64").replace(/=+$/, ""),
      roles: ["owner"],
      displayName: user.displayName,
      userId: user.id,
      email: user.mail ?? user.userPrincipalName,
      tenantId,
    }));
    const messages = lines.map(([alias, content], index) => {
      const author = byAlias(alias);
      return {
        id: String(1764900000000 + index * 60_000),
        chatId: id,
        messageType: "message",
        createdDateTime: new Date(Date.UTC(2026, 11, 6, 8, index)).toISOString(),
        importance: "normal",
        from: {
          user: { id: author.id, displayName: author.displayName, userIdentityType: "aadUser", tenantId },
        },
        body: { contentType: "text", content },
      };
    });
    return {
      chat: {
        id,
        topic,
        createdDateTime: "2026-12-01T09:00:00Z",
        lastUpdatedDateTime: "2026-12-06T08:05:00Z",
        chatType,
        webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(id)}/0?tenantId=${tenantId}`,
        tenantId,
      },
      members,
      messages,
    };
  };
  return [
    make(
      "oneOnOne",
      null,
      ["adelev", "meganb"],
      [
        ["meganb", "Did you see the Fabrikam invoice mail?"],
        ["adelev", "Yes, reported it to the SOC."],
      ],
    ),
    make(
      "group",
      "INC-4711 responders",
      ["adelev", "alexw", "meganb"],
      [["alexw", "Blocking the domain at the proxy now."]],
    ),
  ];
}

/** The chat routes over a fresh copy of the seeded chats. */
export function chatRoutes(): ServiceRoute[] {
  let chats: Chat[] | undefined;
  const all = (context: RouteContext) => {
    chats ??= seedChats(context.tenant?.users ?? [], context.tenant?.id ?? "");
    return chats;
  };
  const chatOf = (context: RouteContext) => {
    const found = all(context).find((entry) => entry.chat.id === context.params["chat"]);
    // A user's token only reaches the chats the user is in.
    const visible =
      found &&
      (context.claims.scp === undefined ||
        found.members.some((member) => member.userId === context.claims.oid));
    if (!visible) throw new ODataError("NotFound", `Chat ${context.params["chat"]} not found.`, 404);
    return found;
  };
  const listFor = (context: RouteContext) => {
    const user = addressedUser(context);
    const mine = all(context).filter((entry) => entry.members.some((member) => member.userId === user.id));
    return page(
      context,
      mine.map((entry) => entry.chat),
      { defaultTop: 50, maxTop: 50 },
    );
  };
  return [
    route("POST", "/v1.0/chats", CHAT_CREATE, teamsDenial, (context) => createChat(context, all(context))),
    route("PATCH", "/v1.0/chats/:chat", CHAT_UPDATE, teamsDenial, (context) => {
      const chat = chatOf(context);
      const topic = (context.body as { topic?: unknown } | undefined)?.topic;
      if (typeof topic !== "string" || topic === "")
        return context.error(400, "BadRequest", "Only the topic of a chat can be updated.");
      if (chat.chat["chatType"] !== "group")
        return context.error(400, "BadRequest", "Only a group chat's topic can be set.");
      chat.chat["topic"] = topic;
      chat.chat["lastUpdatedDateTime"] = new Date().toISOString();
      return context.empty(204);
    }),
    route("POST", "/v1.0/chats/:chat/members", CHAT_MEMBERS_WRITE, teamsDenial, (context) => {
      const chat = chatOf(context);
      const tenantId = context.tenant?.id ?? "";
      const added = chatMember(context.tenant?.users ?? [], chat.chat.id, tenantId, context.body);
      if (typeof added === "string") return context.error(400, "BadRequest", added);
      if (chat.chat["chatType"] === "oneOnOne")
        return context.error(400, "BadRequest", "Members cannot be added to a one-on-one chat.");
      chat.members = [...chat.members.filter((entry) => entry.userId !== added.userId), added];
      return context.json(201, added);
    }),
    route("GET", "/v1.0/chats", { application: [], delegated: CHATS_LIST.delegated }, teamsDenial, listFor),
    route("GET", "/v1.0/me/chats", CHATS_LIST, teamsDenial, listFor),
    route("GET", "/v1.0/users/:user/chats", CHATS_LIST, teamsDenial, listFor),
    route("GET", "/v1.0/chats/:chat", CHATS_LIST, teamsDenial, (context) =>
      context.json(200, chatOf(context).chat),
    ),
    route("GET", "/v1.0/chats/:chat/members", CHAT_MEMBERS, teamsDenial, (context) =>
      page(context, chatOf(context).members, { defaultTop: 100, maxTop: 100 }),
    ),
    route("GET", "/v1.0/chats/:chat/messages", CHAT_MESSAGES, teamsDenial, (context) =>
      page(context, [...chatOf(context).messages].reverse(), { defaultTop: 50, maxTop: 50 }),
    ),
    // chatmessage-get
    route("GET", "/v1.0/chats/:chat/messages/:message", CHAT_MESSAGES, teamsDenial, (context) => {
      const found = chatOf(context).messages.find((message) => message["id"] === context.params["message"]);
      return found ? context.json(200, found) : context.error(404, "NotFound", "Message not found.");
    }),
    route("POST", "/v1.0/chats/:chat/messages", CHAT_SEND, teamsDenial, (context) => {
      const chat = chatOf(context);
      const body = (context.body as { body?: { content?: string; contentType?: string } } | undefined)?.body;
      if (!body?.content) return context.error(400, "BadRequest", "Message body cannot be empty.");
      const posted = {
        id: String(Date.now() + chat.messages.length),
        chatId: chat.chat.id,
        messageType: "message",
        createdDateTime: new Date().toISOString(),
        importance: "normal",
        from: { user: { id: context.claims.oid, userIdentityType: "aadUser" } },
        body: { contentType: body.contentType ?? "text", content: body.content },
      };
      chat.messages.push(posted);
      return context.json(201, posted);
    }),
  ];
}

/** POST /chats: a group chat, or the one-on-one chat of two users (the existing one when they have one). */
function createChat(context: RouteContext, chats: Chat[]) {
  const input = (context.body ?? {}) as { chatType?: unknown; topic?: unknown; members?: unknown };
  const chatType = input.chatType;
  if (chatType !== "oneOnOne" && chatType !== "group")
    return context.error(400, "BadRequest", "chatType must be oneOnOne or group.");
  const given = Array.isArray(input.members) ? input.members : [];
  const tenantId = context.tenant?.id ?? "";
  const draftId = `19:${randomUUID().replace(/-/g, "")}@thread.v2`;
  const members: Chat["members"] = [];
  for (const entry of given) {
    const member = chatMember(context.tenant?.users ?? [], draftId, tenantId, entry);
    if (typeof member === "string") return context.error(400, "BadRequest", member);
    members.push(member);
  }
  if (chatType === "oneOnOne" && members.length !== 2)
    return context.error(400, "BadRequest", "A one-on-one chat has exactly two members.");
  if (chatType === "group" && members.length < 2)
    return context.error(400, "BadRequest", "A group chat needs at least two members.");
  // A user creates chats they are in.
  if (context.claims.scp !== undefined && !members.some((member) => member.userId === context.claims.oid))
    return context.error(403, "Forbidden", "The signed-in user must be a member of the chat.");
  const ids = members.map((member) => member.userId).sort();
  if (chatType === "oneOnOne") {
    const existing = chats.find(
      (entry) =>
        entry.chat["chatType"] === "oneOnOne" &&
        entry.members
          .map((member) => member.userId)
          .sort()
          .join() === ids.join(),
    );
    if (existing) return context.json(201, existing.chat);
  }
  const id = chatType === "oneOnOne" ? `19:${ids.join("_")}@unq.gbl.spaces` : draftId;
  const now = new Date().toISOString();
  const chat: Chat = {
    chat: {
      id,
      topic: chatType === "group" && typeof input.topic === "string" ? input.topic : null,
      createdDateTime: now,
      lastUpdatedDateTime: now,
      chatType,
      webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(id)}/0?tenantId=${tenantId}`,
      tenantId,
    },
    members: members.map((member) => ({
      ...member,
      id: Buffer.from(`${id}#${member.userId}`).toString("base64").replace(/=+$/, ""),
    })),
    messages: [],
  };
  chats.push(chat);
  return context.json(201, chat.chat);
}
