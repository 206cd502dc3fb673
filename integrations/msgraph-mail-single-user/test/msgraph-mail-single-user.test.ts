import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const MESSAGE = {
  id: "AAMkAGVmMDEz",
  subject: "Suspicious invoice",
  from: { emailAddress: { address: "billing@fabrikam.example" } },
  receivedDateTime: "2024-05-01T10:00:00Z",
  hasAttachments: true,
  isDraft: false,
};
// The Mail Single User row has no client credentials: its commands run with a signed-in user's delegated token.
const USER = { scp: "Mail.ReadWrite Mail.Send User.Read" };

let harness: Harness;
const sent: string[] = [];

beforeAll(async () => {
  harness = await startHarness(integration);
  const { emulator } = harness;
  const read = { resource: "graph", scopes: ["Mail.Read", "Mail.ReadWrite"] };
  const write = { resource: "graph", scopes: ["Mail.ReadWrite"] };
  emulator.addRoute("GET", "/v1.0/me/messages", read, (ctx) => ctx.json(200, { value: [MESSAGE] }));
  emulator.addRoute("GET", "/v1.0/me/mailFolders/:folder/messages", read, (ctx) =>
    ctx.json(200, { value: [] }),
  );
  emulator.addRoute("GET", "/v1.0/me/messages/:id", read, (ctx) =>
    ctx.json(200, {
      ...MESSAGE,
      body: {
        contentType: ctx.headers["prefer"]?.includes("html") ? "html" : "text",
        content: "Please pay.",
      },
    }),
  );
  emulator.addRoute("POST", "/v1.0/me/messages", write, (ctx) =>
    ctx.json(201, { ...(ctx.body as object), id: "AAMkDraft", isDraft: true }),
  );
  emulator.addRoute(
    "POST",
    "/v1.0/me/messages/:id/send",
    { resource: "graph", scopes: ["Mail.Send"] },
    (ctx) => {
      sent.push(ctx.params["id"]!);
      return ctx.empty(202);
    },
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft Graph Mail Single User manifest", () => {
  it("asks the mail scopes for the authorization code flow", () => {
    const params = resolveParameterValues(integration.parameters, {}, {});
    expect(
      scopesFor(integration.manifest, "authorization-code", resolveEndpoints(integration.manifest, params)),
    ).toEqual(["Mail.ReadWrite", "Mail.Send", "User.Read", "offline_access"]);
  });
});

describe("mailbox", () => {
  it("msgraph-mail-list-emails lists the signed-in user's messages newest first", async () => {
    const result = await harness.runWithToken(
      "msgraph-mail-list-emails",
      { odata: "isRead eq false", page_size: "10" },
      USER,
    );
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/me/messages",
      // Exchange wants the sorted property restricted first (learn.microsoft.com/graph/api/user-list-messages).
      query: {
        $top: "10",
        $filter: "receivedDateTime ge 1900-01-01T00:00:00Z and (isRead eq false)",
        $orderby: "receivedDateTime desc",
      },
    });
    expect(result.readable).toContain(
      "|Suspicious invoice|billing@fabrikam.example|2024-05-01T10:00:00Z|true|AAMkAGVmMDEz|",
    );
    expect(result.outputsPrefix).toBe("MSGraphMail");
  });

  it("msgraph-mail-list-emails in a folder with $search drops $orderby", async () => {
    await harness.runWithToken(
      "msgraph-mail-list-emails",
      { folder_id: "inbox", search: "subject:invoice" },
      USER,
    );
    expect(harness.lastCall().path).toBe("/v1.0/me/mailFolders/inbox/messages");
    expect(harness.lastCall().query).toMatchObject({ $search: '"subject:invoice"' });
    expect(harness.lastCall().query["$orderby"]).toBeUndefined();
  });

  it("msgraph-mail-get-email asks for the body type", async () => {
    const result = await harness.runWithToken(
      "msgraph-mail-get-email",
      { message_id: MESSAGE.id, body_type: "html" },
      USER,
    );
    expect(harness.lastCall().headers["prefer"]).toBe('outlook.body-content-type="html"');
    expect(result.outputs).toMatchObject({ ID: MESSAGE.id, Body: "Please pay." });
  });

  it("msgraph-mail-create-draft then -send-draft", async () => {
    const draft = await harness.runWithToken(
      "msgraph-mail-create-draft",
      { to: "soc@contoso.com, ir@contoso.com", subject: "Phish report" },
      USER,
    );
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: "/v1.0/me/messages",
      body: {
        subject: "Phish report",
        toRecipients: [
          { emailAddress: { address: "soc@contoso.com" } },
          { emailAddress: { address: "ir@contoso.com" } },
        ],
      },
    });
    expect(draft.outputs).toMatchObject({ ID: "AAMkDraft", IsDraft: true });
    await harness.runWithToken("msgraph-mail-send-draft", { draft_id: "AAMkDraft" }, USER);
    expect(sent).toEqual(["AAMkDraft"]);
  });
});

describe("auth errors", () => {
  it("a user token without Mail.Send cannot send", async () => {
    await expect(
      harness.runWithToken("msgraph-mail-send-draft", { draft_id: "AAMkDraft" }, { scp: "Mail.Read" }),
    ).rejects.toThrow("Authorization_RequestDenied");
  });

  it("client credentials are refused: the row has none", async () => {
    await expect(
      harness.run("msgraph-mail-list-emails", {}, { auth_type: "Client Credentials" }),
    ).rejects.toThrow("does not support the Client Credentials flow");
  });
});
