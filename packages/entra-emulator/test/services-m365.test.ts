import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { clientCredentialsToken } from "./helpers.js";

// The built-in doubles of Graph mail/calendar/files/Teams, Azure Data Explorer and Azure DevOps, called as a client
// addressing the real hosts (x-forwarded-host, as the test harness sends it).

const USER = "adelev@contoso.onmicrosoft.com";
const TEAM = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
const GENERAL = "19:02bd9fd68f93475887c31fb73740a315@thread.tacv2";
const CLUSTER = "https://msintdemo.westeurope.kusto.windows.net";
const DEVOPS = "499b84ac-1321-427f-aa17-267ca6975798";

let emulator: RunningEmulator;
let graph: string;
let noGrantGraph: string;

beforeAll(async () => {
  emulator = await startEmulator();
  graph = await clientCredentialsToken(emulator);
  noGrantGraph = await clientCredentialsToken(emulator, {
    client_id: DEMO_NO_GRANT_CLIENT_ID,
    client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
  });
});
afterAll(() => emulator.close());

async function call(
  host: string,
  path: string,
  token: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      "x-forwarded-host": host,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const graphCall = (path: string, init?: Parameters<typeof call>[3], token = graph) =>
  call("graph.microsoft.com", path, token, init);
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;
const itemsOf = (body: unknown) => (body as { value: Array<Record<string, unknown>> }).value;

describe("Graph mail", () => {
  it("answers $filter with $orderby on another property as Exchange does: 400 InefficientFilter", async () => {
    // learn.microsoft.com/graph/api/user-list-messages, "Using filter and orderby in the same query".
    const query = "$filter=hasAttachments eq true&$orderby=receivedDateTime desc";
    const refused = await graphCall(`/v1.0/users/${USER}/messages?${encodeURI(query)}`);
    expect(refused.status).toBe(400);
    expect(errorOf(refused.body)).toMatchObject({
      code: "InefficientFilter",
      message: "The restriction or sort order is too complex for this operation.",
    });
    const accepted = await graphCall(
      `/v1.0/users/${USER}/messages?${encodeURI("$filter=receivedDateTime ge 2026-01-01T00:00:00Z and hasAttachments eq true&$orderby=receivedDateTime desc")}`,
    );
    expect(accepted.status).toBe(200);
    expect(itemsOf(accepted.body).map((message) => message["subject"])).toEqual([
      "Overdue invoice 2026-1187",
    ]);
  });

  it("pages messages with $top and an absolute @odata.nextLink on the host the client addressed", async () => {
    const first = await graphCall(`/v1.0/users/${USER}/messages?$top=2&$select=id,subject`);
    const body = first.body as Record<string, unknown>;
    expect(itemsOf(body)).toHaveLength(2);
    expect(Object.keys(itemsOf(body)[0]!).sort()).toEqual(["@odata.etag", "id", "subject"]);
    expect(String(body["@odata.nextLink"])).toMatch(
      /^https:\/\/graph\.microsoft\.com\/v1\.0\/users\/.+(\$|%24)skip=2/,
    );
  });

  it("attachments, sendMail and reply: what is sent shows in Sent Items", async () => {
    const inbox = itemsOf((await graphCall(`/v1.0/users/${USER}/mailFolders/inbox/messages`)).body);
    const invoice = inbox.find((message) => message["hasAttachments"])!;
    // learn.microsoft.com/graph/api/message-list-attachments
    const attachments = itemsOf(
      (await graphCall(`/v1.0/users/${USER}/messages/${invoice["id"]}/attachments`)).body,
    );
    expect(attachments[0]).toMatchObject({
      "@odata.type": "#microsoft.graph.fileAttachment",
      name: "invoice-2026-1187.html",
      contentType: "text/html",
    });
    // learn.microsoft.com/graph/api/user-sendmail: 202 Accepted, no body.
    const sent = await graphCall(`/v1.0/users/${USER}/sendMail`, {
      method: "POST",
      body: {
        message: {
          subject: "Block list updated",
          body: { contentType: "Text", content: "fabrikam-payments.example is blocked." },
          toRecipients: [{ emailAddress: { address: "soc@contoso.onmicrosoft.com" } }],
        },
      },
    });
    expect(sent.status).toBe(202);
    // learn.microsoft.com/graph/api/message-reply
    const replied = await graphCall(`/v1.0/users/${USER}/messages/${invoice["id"]}/reply`, {
      method: "POST",
      body: { comment: "Reported to the SOC." },
    });
    expect(replied.status).toBe(202);
    const sentItems = itemsOf((await graphCall(`/v1.0/users/${USER}/mailFolders/sentitems/messages`)).body);
    expect(sentItems.map((message) => message["subject"])).toEqual(
      expect.arrayContaining(["Block list updated", "RE: Overdue invoice 2026-1187"]),
    );
  });

  it("a token without a mail permission gets Exchange's 403; /me needs a user", async () => {
    const denied = await graphCall(`/v1.0/users/${USER}/messages`, undefined, noGrantGraph);
    expect(denied.status).toBe(403);
    expect(errorOf(denied.body)).toMatchObject({
      code: "ErrorAccessDenied",
      message: "Access is denied. Check credentials and try again.",
    });
    const me = await graphCall("/v1.0/me/messages");
    expect(me.status).toBe(400);
    expect(errorOf(me.body).message).toBe("/me request is only valid with delegated authentication flow.");
  });
});

describe("Graph Teams", () => {
  it("reads channel messages; posting one app-only needs Teamwork.Migrate.All, and Teams says so", async () => {
    const messages = await graphCall(`/v1.0/teams/${TEAM}/channels/${encodeURIComponent(GENERAL)}/messages`);
    expect(itemsOf(messages.body)[0]).toMatchObject({
      body: { content: "Shift handover: two open phishing incidents." },
    });
    // learn.microsoft.com/graph/api/channel-post-messages: application permission only for migration.
    const post = await graphCall(`/v1.0/teams/${TEAM}/channels/${encodeURIComponent(GENERAL)}/messages`, {
      method: "POST",
      body: { body: { content: "hello" } },
    });
    expect(post.status).toBe(403);
    expect(errorOf(post.body)).toMatchObject({
      code: "Forbidden",
      message: expect.stringMatching(
        /^Missing role permissions on the request\. API requires one of 'Teamwork\.Migrate\.All'\. Roles on the request '.*Mail\.ReadWrite/,
      ),
    });
  });

  it("archiving answers 202 with the operation's Location, and the team reads as archived", async () => {
    const archived = await graphCall(`/v1.0/teams/${TEAM}/archive`, { method: "POST" });
    expect(archived.status).toBe(202);
    expect(archived.headers.get("location")).toMatch(
      new RegExp(`^/teams\\('${TEAM}'\\)/operations\\('[0-9a-f-]{36}'\\)$`),
    );
    expect((await graphCall(`/v1.0/teams/${TEAM}`)).body).toMatchObject({ isArchived: true });
  });
});

describe("Graph chats", () => {
  it("a user sees the chats they are in, reads and posts messages; an app lists a user's chats", async () => {
    const adele = emulator.seed.tenants[0]!.users![0]!;
    const user = emulator.issueAccessToken({
      tenantId: emulator.seed.tenants[0]!.id,
      resource: "graph",
      scp: "Chat.ReadWrite",
      userId: adele.id,
    });
    // learn.microsoft.com/graph/api/chat-list
    const chats = itemsOf((await graphCall("/v1.0/me/chats", undefined, user)).body);
    expect(chats.map((chat) => [chat["chatType"], chat["topic"]])).toEqual([
      ["oneOnOne", null],
      ["group", "INC-4711 responders"],
    ]);
    const group = encodeURIComponent(String(chats[1]!["id"]));
    // learn.microsoft.com/graph/api/chat-post-messages
    const posted = await graphCall(
      `/v1.0/chats/${group}/messages`,
      { method: "POST", body: { body: { content: "Proxy block confirmed." } } },
      user,
    );
    expect(posted.status).toBe(201);
    // learn.microsoft.com/graph/api/chat-list-messages: newest first.
    const messages = itemsOf((await graphCall(`/v1.0/chats/${group}/messages`, undefined, user)).body);
    expect(messages.map((message) => (message["body"] as { content: string }).content)).toEqual([
      "Proxy block confirmed.",
      "Blocking the domain at the proxy now.",
    ]);
    const isaiah = emulator.seed.tenants[0]!.users!.find((candidate) =>
      candidate.userPrincipalName.startsWith("isaiahl@"),
    )!;
    const appView = itemsOf((await graphCall(`/v1.0/users/${isaiah.id}/chats`)).body);
    expect(appView).toEqual([]);
    const appOnly = await graphCall("/v1.0/chats");
    expect(appOnly.status).toBe(403);
  });
});

describe("Azure Data Explorer", () => {
  it("v2 query answers frames; a request without db is Kusto's 400", async () => {
    const token = await clientCredentialsToken(emulator, { scope: `${CLUSTER}/.default` });
    const host = new URL(CLUSTER).host;
    const v2 = await call(host, "/v2/rest/query", token, {
      method: "POST",
      body: { db: "SecurityLogs", csl: "SigninLogs | take 1" },
    });
    expect(v2.status).toBe(200);
    const frames = v2.body as Array<Record<string, unknown>>;
    expect(frames.map((frame) => frame["FrameType"])).toEqual([
      "DataSetHeader",
      "DataTable",
      "DataSetCompletion",
    ]);
    expect(frames[1]).toMatchObject({
      TableKind: "PrimaryResult",
      Rows: [[expect.any(String), USER, "203.0.113.24", "0", "Microsoft Teams"]],
    });
    const missing = await call(host, "/v1/rest/query", token, { method: "POST", body: { csl: "print 1" } });
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body)).toMatchObject({ code: "General_BadRequest" });
    // A Graph token is not for the cluster.
    expect(
      (
        await call(host, "/v1/rest/query", graph, {
          method: "POST",
          body: { db: "SecurityLogs", csl: "print 1" },
        })
      ).status,
    ).toBe(401);
  });
});

describe("Azure DevOps", () => {
  it("checks api-version as Azure DevOps does", async () => {
    const token = await clientCredentialsToken(emulator, { scope: `${DEVOPS}/.default` });
    const get = (query: string) => call("dev.azure.com", `/msintdemo/_apis/projects${query}`, token);
    const missing = await get("");
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      typeKey: "VssVersionNotSpecifiedException",
      message: 'No api-version was supplied for the "GET" request. The version "7.2" should be used.',
    });
    const future = await get("?api-version=9.0");
    expect(future.body).toMatchObject({
      typeKey: "VssVersionOutOfRangeException",
      message:
        "The requested REST API version of 9.0 is out of range for this server. The latest REST API version for this server is 7.2.",
    });
    expect((await get("?api-version=7.2-preview.1")).status).toBe(200);
    const projects = await get("?api-version=7.1");
    expect(projects.body).toMatchObject({ count: 2, value: [{ name: "SecOps" }, { name: "Retail Web" }] });
  });
});
