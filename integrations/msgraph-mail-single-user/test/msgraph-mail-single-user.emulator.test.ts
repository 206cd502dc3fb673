import { type Harness, type HarnessInstance, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through the integration's own user flow, authorization code (the demo user signs in at the
// emulator), against the built-in Graph mail double; the Cortex XSOAR application (broker, delegated) for the
// permission checks.

const REDIRECT_URI = "http://localhost:8400/callback";

let harness: Harness;
let instance: HarnessInstance;

beforeAll(async () => {
  harness = await startHarness(integration);
  instance = await harness.instance({
    self_deployed: true,
    auth_type: "Authorization Code",
    redirect_uri: REDIRECT_URI,
  });
  const login = await instance.run("msgraph-mail-generate-login-url");
  const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
  expect(new URL(loginUrl).searchParams.get("scope")).toContain("Mail.ReadWrite Mail.Send User.Read");
  await instance.set({ auth_code: await harness.signIn(loginUrl) });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const graphRequests = () => harness.emulator.requests.filter((request) => request.service === "graph");

describe("the signed-in user's mailbox (authorization code)", () => {
  it("msgraph-mail-list-emails: /me/messages, newest first, with a filter Exchange accepts next to the sort", async () => {
    const all = await instance.run("msgraph-mail-list-emails");
    // learn.microsoft.com/graph/api/user-list-messages: GET /me/messages with $select, $top, $orderby.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/me/messages",
      query: { $top: "20", $orderby: "receivedDateTime desc" },
    });
    expect((all.outputs as Array<{ Subject: string }>)[0]!.Subject).toBe("Overdue invoice 2026-1187");
    const tokens = harness.emulator.tokenRequests().map((request) => request.grantType);
    expect(tokens).toContain("authorization_code");

    const unread = await instance.run("msgraph-mail-list-emails", { odata: "hasAttachments eq true" });
    // "Using filter and orderby in the same query" (same page): the sorted property is restricted first.
    expect(harness.lastCall().query["$filter"]).toBe(
      "receivedDateTime ge 1900-01-01T00:00:00Z and (hasAttachments eq true)",
    );
    expect(unread.outputs).toEqual([expect.objectContaining({ HasAttachments: true })]);

    const searched = await instance.run("msgraph-mail-list-emails", { search: "access review" });
    // learn.microsoft.com/graph/search-query-parameter: $search in quotes, no $orderby with it.
    expect(harness.lastCall().query).toMatchObject({ $search: '"access review"' });
    expect(harness.lastCall().query["$orderby"]).toBeUndefined();
    expect(searched.outputs).toEqual([expect.objectContaining({ Subject: "Quarterly access review" })]);
  });

  it("msgraph-mail-get-email asks for the body as text", async () => {
    const list = await instance.run("msgraph-mail-list-emails", { folder_id: "inbox" });
    const id = (list.outputs as Array<{ ID: string }>)[0]!.ID;
    const email = await instance.run("msgraph-mail-get-email", { message_id: id });
    // learn.microsoft.com/graph/api/message-get: Prefer: outlook.body-content-type="text".
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/me/messages/${id}` });
    expect(harness.lastCall().headers["prefer"]).toBe('outlook.body-content-type="text"');
    expect(email.outputs).toMatchObject({
      Subject: "Overdue invoice 2026-1187",
      Body: "Your invoice 2026-1187 is overdue. Open the attached file to avoid a late fee.",
    });
  });

  it("msgraph-mail-create-draft then -send-draft: the draft leaves Drafts for Sent Items", async () => {
    const draft = await instance.run("msgraph-mail-create-draft", {
      to: "soc@contoso.onmicrosoft.com, alexw@contoso.onmicrosoft.com",
      subject: "Phishing wave 2026-12",
      body: "Two more users reported the Fabrikam invoice.",
    });
    // learn.microsoft.com/graph/api/user-post-messages: POST /me/messages creates a draft.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/me/messages",
      body: {
        subject: "Phishing wave 2026-12",
        toRecipients: [
          { emailAddress: { address: "soc@contoso.onmicrosoft.com" } },
          { emailAddress: { address: "alexw@contoso.onmicrosoft.com" } },
        ],
      },
    });
    const id = (draft.outputs as { ID: string; IsDraft: boolean }).ID;
    expect(draft.outputs).toMatchObject({ IsDraft: true, Subject: "Phishing wave 2026-12" });
    const drafts = await instance.run("msgraph-mail-list-emails", { folder_id: "drafts" });
    expect((drafts.outputs as Array<{ ID: string }>).map((entry) => entry.ID)).toContain(id);

    const sent = await instance.run("msgraph-mail-send-draft", { draft_id: id });
    // learn.microsoft.com/graph/api/message-send: POST /me/messages/{id}/send, 202.
    expect(harness.lastCall()).toMatchObject({ method: "POST", path: `/v1.0/me/messages/${id}/send` });
    expect(sent.readable).toBe(`### Draft with: ${id} id was sent successfully.`);
    const sentItems = await instance.run("msgraph-mail-list-emails", { folder_id: "sentitems" });
    expect(sentItems.outputs).toEqual(
      expect.arrayContaining([expect.objectContaining({ Subject: "Phishing wave 2026-12", IsDraft: false })]),
    );
  });

  it("msgraph-mail-create-draft takes XSOAR's bcc, body_type, flag, importance and headers", async () => {
    const draft = await instance.run("msgraph-mail-create-draft", {
      to: "soc@contoso.onmicrosoft.com",
      bcc: "ciso@contoso.onmicrosoft.com",
      subject: "Containment status",
      body: "<p>Host <b>DESKTOP-ADELE01</b> is isolated.</p>",
      body_type: "HTML",
      flag: "flagged",
      importance: "High",
      headers: "X-Incident-Id:4711, X-Playbook:phishing",
    });
    // learn.microsoft.com/graph/api/user-post-messages and the message resource: bccRecipients, body.contentType
    // HTML, flag.flagStatus, importance (low/normal/high) and internetMessageHeaders (custom X- headers).
    expect(harness.lastCall().body).toMatchObject({
      bccRecipients: [{ emailAddress: { address: "ciso@contoso.onmicrosoft.com" } }],
      body: { contentType: "HTML", content: "<p>Host <b>DESKTOP-ADELE01</b> is isolated.</p>" },
      flag: { flagStatus: "flagged" },
      importance: "high",
      internetMessageHeaders: [
        { name: "X-Incident-Id", value: "4711" },
        { name: "X-Playbook", value: "phishing" },
      ],
    });
    expect(draft.outputs).toMatchObject({ IsDraft: true, Subject: "Containment status" });
    await expect(
      instance.run("msgraph-mail-create-draft", { subject: "x", headers: "no-colon" }),
    ).rejects.toThrow('headers: "no-colon" is not name:value.');
  });

  it("XSOAR's paging: page_size messages a request, pages_to_pull requests", async () => {
    const result = await instance.run("msgraph-mail-list-emails", { page_size: "1", pages_to_pull: "2" });
    const lists = harness.calls.filter((call) => call.path === "/v1.0/me/messages");
    expect(lists.map((call) => call.query["$top"] ?? "next link")).toEqual(["1", "1"]);
    expect((result.outputs as unknown[]).length).toBe(2);
  });

  it("msgraph-mail-test reads one message of /me and names what it reached", async () => {
    const result = await instance.run("msgraph-mail-test");
    expect(graphRequests().map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1.0/me/messages",
    ]);
    expect(result.readable).toContain("authenticated with Authorization Code and reached:");
    expect(result.readable).toContain("- Microsoft Graph: GET graph.microsoft.com/v1.0/me/messages → 200");
  });
});

describe("a delegated token without mail permissions (Cortex XSOAR application)", () => {
  let brokerParams: Record<string, string | boolean>;
  beforeAll(() => {
    const seed = harness.emulator.seed;
    const registration = seed.brokerRegistrations!.find((entry) => entry.kind === "delegated")!;
    // The vendor app's consented delegated permissions without any Mail.* scope.
    const vendor = seed.tenants[0]!.apps.find((app) => app.clientId === registration.clientId)!;
    vendor.delegatedPermissions = { graph: ["User.Read"] };
    brokerParams = {
      self_deployed: false,
      auth_id: registration.id,
      tenant_id: registration.refreshToken!,
      enc_key: registration.key,
    };
  });

  it("msgraph-mail-auth-test fails naming the delegated permission the test needs", async () => {
    await expect(harness.run("msgraph-mail-auth-test", {}, brokerParams)).rejects.toThrow(
      /lacks the delegated permission Mail\.ReadBasic \(or Mail\.Read, or Mail\.ReadWrite\)/,
    );
  });

  it("a 403 of a command names that command's permission", async () => {
    const error = await harness
      .run("msgraph-mail-send-draft", { draft_id: "AAMkAGVm" }, brokerParams)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("ErrorAccessDenied");
    expect(String(error)).toContain("msgraph-mail-send-draft needs: delegated permission Mail.Send");
  });
});
