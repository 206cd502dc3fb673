import {
  type ApiClient,
  type CommandContext,
  type CommandResult,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";
import { allPages, findUser } from "./lookup.js";

// Teams chats through Microsoft Graph (learn.microsoft.com/graph/api/chat-list, chat-post, chat-patch,
// chat-list-members, chat-post-members, chat-list-messages, chat-post-messages). Sending and listing a user's own
// chats are delegated calls: the instance signs in with Authorization Code, as XSOAR requires for these commands.

const GRAPH_MAX_TOP = 50;

type Entity = Record<string, unknown>;
interface Page {
  value?: Entity[];
  "@odata.nextLink"?: string;
}

/** Whether the instance acts as a signed-in user (then `/me` exists and owns the chats). */
function delegated(context: CommandContext): boolean {
  return String(context.params["auth_type"] ?? "").toLowerCase() === "authorization code";
}

/** A chat's ID: the argument itself (`19:…`), else the chat of the signed-in user whose topic it is. */
async function chatId(context: CommandContext, chat: string): Promise<string> {
  if (chat.startsWith("19:")) return chat;
  if (!delegated(context))
    throw new UsageError(`Give the chat's ID (19:…): finding "${chat}" by topic needs Authorization Code.`);
  const chats = await allPages<Entity>(context.api, "/v1.0/chats", { $top: GRAPH_MAX_TOP });
  const found = chats.find((entry) => String(entry["topic"] ?? "").toLowerCase() === chat.toLowerCase());
  if (!found) throw new UsageError(`No chat with the topic "${chat}".`);
  return String(found["id"]);
}

const chatPath = (id: string) => `/v1.0/chats/${encodeURIComponent(id)}`;

/** XSOAR's ChatList entry: `id` becomes `chatId`. */
function chatEntry(chat: Entity | undefined): Entity {
  const { id, "@odata.context": _context, ...rest } = chat ?? {};
  return { chatId: id, ...rest };
}

function memberBinding(api: ApiClient, userId: string, extra: Entity = {}): Entity {
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    roles: ["owner"],
    "user@odata.bind": `${api.baseUrl}/v1.0/users('${userId}')`,
    ...extra,
  };
}

function userList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** `microsoft-teams-chat-create`: POST /v1.0/chats with the signed-in user (if any) and the members. */
export async function createChat(context: CommandContext<{ chat_type: string }>): Promise<CommandResult> {
  const { api, args } = context;
  const ids: string[] = [];
  if (delegated(context)) ids.push((await api.get<{ id: string }>("/v1.0/me", { $select: "id" })).id);
  for (const member of userList(args["member"])) {
    const user = await findUser(api, member);
    if (!ids.includes(user.id)) ids.push(user.id);
  }
  const chat = await api.request<Entity>({
    method: "POST",
    path: "/v1.0/chats",
    expect: "object",
    body: {
      chatType: args.chat_type,
      ...(args.chat_type === "group" && args["chat_name"] ? { topic: args["chat_name"] } : {}),
      members: ids.map((id) => memberBinding(api, id)),
    },
  });
  const entry = chatEntry(chat);
  return {
    readable: tableToMarkdown(
      `The chat '${args["chat_name"] ?? entry["chatId"]}' was created successfully`,
      entry,
      ["chatId", "topic", "chatType", "createdDateTime", "webUrl"],
    ),
    outputsPrefix: "MicrosoftTeams.ChatList",
    outputsKeyField: "chatId",
    outputs: entry,
    raw: chat,
  };
}

/** `microsoft-teams-chat-update`: PATCH /v1.0/chats/{id} with the new topic. */
export async function updateChat(
  context: CommandContext<{ chat: string; chat_name: string }>,
): Promise<CommandResult> {
  const id = await chatId(context, context.args.chat);
  await context.api.request({ method: "PATCH", path: chatPath(id), body: { topic: context.args.chat_name } });
  return {
    readable: `The name of chat '${context.args.chat}' has been successfully changed to '${context.args.chat_name}'.`,
  };
}

/** `microsoft-teams-chat-add-user`: POST /v1.0/chats/{id}/members for each user. */
export async function addChatUsers(
  context: CommandContext<{ chat: string; member: string }>,
): Promise<CommandResult> {
  const { api, args } = context;
  const id = await chatId(context, args.chat);
  // chat-post-members: visibleHistoryStartDateTime 0001-01-01T00:00:00Z shares the whole history; omitted, none.
  const history =
    args["share_history"] === "false" ? {} : { visibleHistoryStartDateTime: "0001-01-01T00:00:00Z" };
  const added: string[] = [];
  for (const member of userList(args.member)) {
    const user = await findUser(api, member);
    await api.request({
      method: "POST",
      path: `${chatPath(id)}/members`,
      body: memberBinding(api, user.id, history),
    });
    added.push(user.displayName ?? member);
  }
  return { readable: `The users '${added.join(", ")}' have been added to chat '${args.chat}' successfully.` };
}

/** `microsoft-teams-chat-member-list`: GET /v1.0/chats/{id}/members. */
export async function listChatMembers(context: CommandContext<{ chat: string }>): Promise<CommandResult> {
  const id = await chatId(context, context.args.chat);
  const members = await allPages<Entity>(context.api, `${chatPath(id)}/members`);
  return {
    readable: tableToMarkdown(`Chat "${context.args.chat}" Members List:`, members, [
      "displayName",
      "email",
      "userId",
      "roles",
    ]),
    outputsPrefix: "MicrosoftTeams.ChatList",
    outputsKeyField: "chatId",
    outputs: { chatId: id, members },
    raw: members,
  };
}

/** `microsoft-teams-message-send-to-chat`: POST /v1.0/chats/{id}/messages. */
export async function sendToChat(
  context: CommandContext<{ chat: string; content: string }>,
): Promise<CommandResult> {
  const id = await chatId(context, context.args.chat);
  const message = await context.api.request<Entity>({
    method: "POST",
    path: `${chatPath(id)}/messages`,
    expect: "object",
    body: { body: { contentType: context.args["content_type"] ?? "text", content: context.args.content } },
  });
  return {
    readable: tableToMarkdown(
      `Message was sent successfully in the '${context.args.chat}' chat.`,
      message ?? {},
      ["id", "createdDateTime", "messageType"],
    ),
    outputsPrefix: "MicrosoftTeams.ChatList",
    outputsKeyField: "chatId",
    outputs: { chatId: id, messages: message },
    raw: message,
  };
}

function positive(value: string | undefined, name: string, fallback: number): number {
  const number = Number(value ?? fallback);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${name} must be a positive whole number.`);
  return number;
}

/** Up to `limit` items of a Graph list: `next_link` to continue, else the first page; the next link when more. */
export async function collect(
  api: ApiClient,
  args: Record<string, string | undefined>,
  path: string,
  query: Record<string, string | number>,
): Promise<{ items: Entity[]; nextLink: string | undefined }> {
  const limit = positive(args["limit"], "limit", 50);
  const size = Math.min(positive(args["page_size"], "page_size", 50), limit, GRAPH_MAX_TOP);
  const items: Entity[] = [];
  let page = args["next_link"]
    ? await api.get<Page>(args["next_link"], undefined, { expect: "collection" })
    : await api.get<Page>(path, { ...query, $top: size }, { expect: "collection" });
  items.push(...(page?.value ?? []));
  while (items.length < limit && page?.["@odata.nextLink"]) {
    page = await api.get<Page>(page["@odata.nextLink"], undefined, { expect: "collection" });
    items.push(...(page?.value ?? []));
  }
  return { items: items.slice(0, limit), nextLink: page?.["@odata.nextLink"] };
}

/** `microsoft-teams-chat-message-list`: GET /v1.0/chats/{id}/messages, newest first by `order_by`. */
export async function listChatMessages(context: CommandContext<{ chat: string }>): Promise<CommandResult> {
  const id = await chatId(context, context.args.chat);
  // chat-list-messages: $orderby lastModifiedDateTime desc (default) or createdDateTime desc; $top up to 50.
  const { items, nextLink } = await collect(context.api, context.args, `${chatPath(id)}/messages`, {
    $orderby: `${context.args["order_by"] ?? "lastModifiedDateTime"} desc`,
  });
  const rows = items.map((message) => ({
    Id: message["id"],
    From: (message["from"] as { user?: { displayName?: string } } | null)?.user?.displayName,
    Created: message["createdDateTime"],
    Content: (message["body"] as { content?: string } | undefined)?.content,
  }));
  return {
    readable: tableToMarkdown(`Messages list in "${context.args.chat}" chat:`, rows),
    outputsPrefix: "MicrosoftTeams.ChatList",
    outputsKeyField: "chatId",
    outputs: { chatId: id, messages: items },
    ...(nextLink ? { additionalOutputs: { "MicrosoftTeams.MessageListNextLink": nextLink } } : {}),
    raw: items,
  };
}

/** `microsoft-teams-chat-list`: one chat (GET /v1.0/chats/{id}) or the signed-in user's chats (GET /v1.0/chats). */
export async function listChats(context: CommandContext): Promise<CommandResult> {
  const { api, args } = context;
  const expand: Record<string, string> = args["expand"] ? { $expand: args["expand"] } : {};
  let chats: Entity[];
  let nextLink: string | undefined;
  if (args["chat"]) {
    const id = await chatId(context, args["chat"]);
    chats = [await api.get<Entity>(chatPath(id), expand)];
  } else {
    ({ items: chats, nextLink } = await collect(api, args, "/v1.0/chats", {
      ...expand,
      ...(args["filter"] ? { $filter: args["filter"] } : {}),
    }));
  }
  const entries = chats.map(chatEntry);
  return {
    readable: tableToMarkdown("Chats List:", entries, [
      "chatId",
      "topic",
      "chatType",
      "createdDateTime",
      "lastUpdatedDateTime",
    ]),
    outputsPrefix: "MicrosoftTeams.ChatList",
    outputsKeyField: "chatId",
    outputs: entries,
    ...(nextLink ? { additionalOutputs: { "MicrosoftTeams.ChatListNextLink": nextLink } } : {}),
    raw: chats,
  };
}
