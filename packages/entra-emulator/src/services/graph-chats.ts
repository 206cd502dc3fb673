import { createHash } from "node:crypto";
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

interface Chat {
  chat: Record<string, unknown> & { id: string };
  members: Array<Record<string, unknown> & { userId: string }>;
  messages: Array<Record<string, unknown>>;
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
