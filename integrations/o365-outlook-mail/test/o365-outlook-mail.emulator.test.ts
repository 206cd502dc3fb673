import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials against the emulator's built-in Graph mail double (seeded mailboxes).

const USER = "adelev@contoso.onmicrosoft.com";

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration);
  // The seed's app registration without any permission.
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? { x: 1 }).length === 0,
  )!;
  noGrant = { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

const graphRequests = () => harness.emulator.requests.filter((request) => request.service === "graph");

describe("mail through client credentials", () => {
  it("msgraph-mail-list-emails lists the mailbox newest first; an OData filter keeps the sort Exchange accepts", async () => {
    const all = await harness.run("msgraph-mail-list-emails", { user_id: USER });
    // learn.microsoft.com/graph/api/user-list-messages: GET /users/{id}/messages with $select, $top, $orderby.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: `/v1.0/users/${USER}/messages`,
      query: {
        $select: "id,subject,from,receivedDateTime,hasAttachments",
        $top: "20",
        $orderby: "receivedDateTime desc",
      },
    });
    const subjects = (all.outputs as Array<{ Subject: string }>).map((entry) => entry.Subject);
    expect(subjects[0]).toBe("Overdue invoice 2026-1187");
    expect(subjects).toContain("Quarterly access review");

    const filtered = await harness.run("msgraph-mail-list-emails", {
      user_id: USER,
      odata: "hasAttachments eq true",
    });
    // "Using filter and orderby in the same query": the sorted property is restricted first.
    expect(harness.lastCall().query["$filter"]).toBe(
      "receivedDateTime ge 1900-01-01T00:00:00Z and (hasAttachments eq true)",
    );
    expect(filtered.readable).toContain("### Total of 1 mails received");
    expect(filtered.outputs).toEqual([
      expect.objectContaining({
        Subject: "Overdue invoice 2026-1187",
        Sender: "billing@fabrikam-payments.example",
      }),
    ]);
  });

  it("lists a folder by its well-known name", async () => {
    const junk = await harness.run("msgraph-mail-list-emails", { user_id: USER, folder_id: "junkemail" });
    // learn.microsoft.com/graph/api/mailfolder-list-messages
    expect(harness.lastCall().path).toBe(`/v1.0/users/${USER}/mailFolders/junkemail/messages`);
    expect(junk.outputs).toEqual([expect.objectContaining({ Subject: "Password expires today" })]);
  });

  it("XSOAR's paging (page_size × pages_to_pull), search, and get-email's folder_id, odata and get_body", async () => {
    const paged = await harness.run("msgraph-mail-list-emails", {
      user_id: USER,
      page_size: "1",
      pages_to_pull: "2",
    });
    // Two requests of $top=1: the first page, then its @odata.nextLink.
    const lists = harness.calls.filter((call) => call.path === `/v1.0/users/${USER}/messages`);
    expect(lists).toHaveLength(2);
    expect(lists[0]!.query).toMatchObject({ $top: "1" });
    expect((paged.outputs as unknown[]).length).toBe(2);

    const found = await harness.run("msgraph-mail-list-emails", { user_id: USER, search: "access review" });
    // learn.microsoft.com/graph/search-query-parameter: $search in quotes, and no $orderby next to it.
    expect(harness.lastCall().query).toMatchObject({ $search: '"access review"' });
    expect(harness.lastCall().query["$orderby"]).toBeUndefined();
    const review = (found.outputs as Array<{ ID: string; Subject: string }>)[0]!;
    expect(review.Subject).toBe("Quarterly access review");

    const email = await harness.run("msgraph-mail-get-email", {
      user_id: USER,
      message_id: review.ID,
      folder_id: "inbox",
      odata: "$select=subject,from",
    });
    // learn.microsoft.com/graph/api/message-get: GET /users/{id}/mailFolders/{id}/messages/{id}, $select.
    expect(harness.lastCall()).toMatchObject({
      path: `/v1.0/users/${USER}/mailFolders/inbox/messages/${review.ID}`,
      query: { $select: "subject,from" },
    });
    expect(email.outputs).toMatchObject({ Subject: "Quarterly access review" });
    expect(email.outputs).not.toHaveProperty("Body");
    // Not in Junk Email: the folder path does not find it.
    await expect(
      harness.run("msgraph-mail-get-email", { user_id: USER, message_id: review.ID, folder_id: "junkemail" }),
    ).rejects.toThrow("ErrorItemNotFound");
  });

  it("get, move and delete change the mailbox as a later read shows", async () => {
    const inbox = await harness.run("msgraph-mail-list-emails", { user_id: USER, folder_id: "inbox" });
    const review = (inbox.outputs as Array<{ ID: string; Subject: string }>).find(
      (entry) => entry.Subject === "Quarterly access review",
    )!;
    const email = await harness.run("msgraph-mail-get-email", {
      user_id: USER,
      message_id: review.ID,
      get_body: "true",
    });
    // learn.microsoft.com/graph/api/message-get
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/users/${USER}/messages/${review.ID}`,
    });
    expect(email.outputs).toMatchObject({
      Subject: "Quarterly access review",
      Sender: "meganb@contoso.onmicrosoft.com",
    });
    expect(String((email.outputs as { Body: string }).Body)).toContain("confirm the members");

    const moved = await harness.run("msgraph-mail-move-email", {
      user_id: USER,
      message_id: review.ID,
      destination_folder_id: "archive",
    });
    // learn.microsoft.com/graph/api/message-move: POST …/move {destinationId}, 201 with the message's new ID.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/users/${USER}/messages/${review.ID}/move`,
      body: { destinationId: "archive" },
    });
    const newId = (moved.outputs as { ID: string }).ID;
    expect(newId).not.toBe(review.ID);
    const archive = await harness.run("msgraph-mail-list-emails", { user_id: USER, folder_id: "archive" });
    expect(archive.outputs).toEqual([
      expect.objectContaining({ ID: newId, Subject: "Quarterly access review" }),
    ]);

    const deleted = await harness.run("msgraph-mail-delete-email", { user_id: USER, message_id: newId });
    // learn.microsoft.com/graph/api/message-delete
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/users/${USER}/messages/${newId}`,
    });
    expect(deleted.readable).toBe("Message has been deleted successfully");
    await expect(harness.run("msgraph-mail-get-email", { user_id: USER, message_id: newId })).rejects.toThrow(
      "ErrorItemNotFound",
    );
    const trash = await harness.run("msgraph-mail-list-emails", { user_id: USER, folder_id: "deleteditems" });
    expect(trash.outputs).toEqual([expect.objectContaining({ Subject: "Quarterly access review" })]);

    // XSOAR's folder_id: DELETE /users/{id}/mailFolders/{id}/messages/{id}; from Deleted Items it is gone.
    const trashed = (trash.outputs as Array<{ ID: string }>)[0]!.ID;
    await harness.run("msgraph-mail-delete-email", {
      user_id: USER,
      message_id: trashed,
      folder_id: "deleteditems",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/users/${USER}/mailFolders/deleteditems/messages/${trashed}`,
    });
    const empty = await harness.run("msgraph-mail-list-emails", { user_id: USER, folder_id: "deleteditems" });
    expect(empty.outputs).toEqual([]);
  });

  it("an unknown mailbox is Exchange's ErrorInvalidUser", async () => {
    await expect(
      harness.run("msgraph-mail-list-emails", { user_id: "nobody@contoso.onmicrosoft.com" }),
    ).rejects.toThrow("ErrorInvalidUser");
  });
});

describe("through the machine's managed identity", () => {
  it("msgraph-mail-list-emails and -test with the system-assigned identity's token", async () => {
    const identity = { use_managed_identities: true, auth_id: undefined, enc_key: undefined };
    const result = await harness.run("msgraph-mail-list-emails", { user_id: USER, page_size: "2" }, identity);
    expect((result.outputs as unknown[]).length).toBe(2);
    // The token came from the IMDS endpoint (learn.microsoft.com/entra/identity/managed-identities-azure-resources/
    // how-to-use-vm-token): GET /metadata/identity/oauth2/token?resource=https://graph.microsoft.com.
    const imds = harness.emulator.requests.find(
      (request) => request.path === "/metadata/identity/oauth2/token",
    )!;
    expect(imds.query["resource"]).toBe("https://graph.microsoft.com");
    const test = await harness.run("msgraph-mail-test", {}, identity);
    expect(test.readable).toContain("authenticated with Azure Managed Identities and reached:");
  });
});

describe("-test and permissions", () => {
  it("msgraph-mail-test reads one user and one message of the mailbox, and names them", async () => {
    const result = await harness.run("msgraph-mail-test");
    expect(graphRequests().map((request) => request.path)).toEqual([
      "/v1.0/users",
      expect.stringMatching(/^\/v1\.0\/users\/[0-9a-f-]{36}\/messages$/),
    ]);
    expect(result.readable).toContain(
      "✅ Success! O365 Outlook Mail authenticated with Client Credentials and reached:",
    );
    expect(result.readable).toMatch(
      /- Microsoft Graph: GET graph\.microsoft\.com\/v1\.0\/users → 200; GET graph\.microsoft\.com\/v1\.0\/users\/[0-9a-f-]{36}\/messages → 200/,
    );
  });

  it("msgraph-mail-auth-test with an app without permissions fails naming the roles", async () => {
    await expect(harness.run("msgraph-mail-auth-test", {}, noGrant)).rejects.toThrow(
      /lacks the application permission User\.Read\.All.*Mail\.ReadBasic\.All/s,
    );
  });

  it("a 403 of a command names the command's permission", async () => {
    const error = await harness
      .run(
        "msgraph-mail-move-email",
        { user_id: USER, message_id: "x", destination_folder_id: "inbox" },
        noGrant,
      )
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("ErrorAccessDenied");
    expect(String(error)).toContain("msgraph-mail-move-email needs: application permission Mail.ReadWrite");
  });
});
