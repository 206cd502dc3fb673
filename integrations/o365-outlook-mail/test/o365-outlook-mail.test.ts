import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const USER = "adelev@contoso.onmicrosoft.com";
const MESSAGE = {
  id: "AAMkAGVmMDEz",
  subject: "Suspicious invoice",
  from: { emailAddress: { address: "billing@fabrikam.example" } },
  receivedDateTime: "2024-05-01T10:00:00Z",
  hasAttachments: true,
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { grants: { graph: ["Mail.ReadWrite"] } });
  const { emulator } = harness;
  const mail = { resource: "graph", roles: ["Mail.Read", "Mail.ReadWrite"] };
  emulator.addRoute("GET", "/v1.0/users/:user/messages", mail, (ctx) => ctx.json(200, { value: [MESSAGE] }));
  emulator.addRoute("GET", "/v1.0/users/:user/mailFolders/:folder/messages", mail, (ctx) =>
    ctx.json(200, { value: [] }),
  );
  emulator.addRoute("GET", "/v1.0/users/:user/messages/:id", mail, (ctx) =>
    ctx.json(200, { ...MESSAGE, body: { content: "Please pay." } }),
  );
  emulator.addRoute(
    "POST",
    "/v1.0/users/:user/messages/:id/move",
    { resource: "graph", roles: ["Mail.ReadWrite"] },
    (ctx) => ctx.json(201, { ...MESSAGE, id: "AAMkMoved" }),
  );
  emulator.addRoute(
    "DELETE",
    "/v1.0/users/:user/messages/:id",
    { resource: "graph", roles: ["Mail.ReadWrite"] },
    (ctx) => ctx.empty(204),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("O365 Outlook Mail manifest", () => {
  it("shares its prefix with Microsoft Graph Mail Single User", () => {
    expect(integration.manifest).toMatchObject({
      id: "o365-outlook-mail",
      commandPrefix: "msgraph-mail",
    });
  });
});

describe("mail", () => {
  it("msgraph-mail-list-emails lists a mailbox", async () => {
    const result = await harness.run("msgraph-mail-list-emails", {
      user_id: USER,
      odata: "hasAttachments eq true",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: `/v1.0/users/${USER}/messages`,
      query: {
        $select: "id,subject,from,receivedDateTime,hasAttachments",
        $top: "20",
        // Exchange wants the sorted property restricted first (learn.microsoft.com/graph/api/user-list-messages).
        $filter: "receivedDateTime ge 1900-01-01T00:00:00Z and (hasAttachments eq true)",
        $orderby: "receivedDateTime desc",
      },
    });
    expect(result.readable).toContain("### Total of 1 mails received");
    expect(result.outputs).toEqual([
      expect.objectContaining({ ID: MESSAGE.id, Sender: "billing@fabrikam.example", UserID: USER }),
    ]);
  });

  it("reaches the mailboxes of a China (21Vianet) tenant through its Graph", async () => {
    await harness.run(
      "msgraph-mail-list-emails",
      { user_id: USER, folder_id: "inbox" },
      { azure_cloud: "China" },
    );
    expect(harness.lastCall()).toMatchObject({
      host: "microsoftgraph.chinacloudapi.cn",
      path: `/v1.0/users/${USER}/mailFolders/inbox/messages`,
    });
  });

  it("msgraph-mail-get-email, -move-email and -delete-email", async () => {
    const message = { user_id: USER, message_id: MESSAGE.id };
    const email = await harness.run("msgraph-mail-get-email", { ...message, get_body: "true" });
    expect(email.outputs).toMatchObject({ Body: "Please pay." });
    const moved = await harness.run("msgraph-mail-move-email", {
      ...message,
      destination_folder_id: "deleteditems",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/users/${USER}/messages/${MESSAGE.id}/move`,
      body: { destinationId: "deleteditems" },
    });
    expect(moved.outputs).toMatchObject({ ID: "AAMkMoved", DestinationFolderID: "deleteditems" });
    await harness.run("msgraph-mail-delete-email", message);
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/users/${USER}/messages/${MESSAGE.id}`,
    });
  });
});

describe("auth errors", () => {
  it("an app with only Mail.Read may read but not move", async () => {
    await expect(
      harness.runWithToken(
        "msgraph-mail-move-email",
        { user_id: USER, message_id: MESSAGE.id, destination_folder_id: "inbox" },
        { roles: ["Mail.Read"] },
      ),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
