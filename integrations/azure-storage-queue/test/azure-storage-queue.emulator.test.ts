import {
  DEMO_STORAGE_ACCOUNT,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  demoAccountSas,
  type Harness,
  startHarness,
} from "@msint/integration-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through the instance's own flows (the system-assigned managed identity, whose token the emulator's
// IMDS issues, and an account SAS signed with the demo account's key) against the emulator's Queue service.
const HOST = `${DEMO_STORAGE_ACCOUNT}.queue.core.windows.net`;
const FLOWS = [
  { flow: "managed identity", params: { use_managed_identities: true, account_name: DEMO_STORAGE_ACCOUNT } },
  {
    flow: "account SAS",
    params: { account_name: DEMO_STORAGE_ACCOUNT, sas_token: demoAccountSas({ ss: "q", sp: "rwdlacup" }) },
  },
] as const;

describe.each(FLOWS)("Azure Storage Queue through $flow", ({ flow, params }) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params });
  });
  afterAll(() => harness.close());

  /** The last request, as sent, authorized the way the flow does it. */
  function sent(method: string, path: string) {
    const call = harness.lastCall();
    expect(call).toMatchObject({ method, host: HOST, path });
    expect(call.headers["x-ms-version"]).toBe("2020-10-02");
    if (flow === "managed identity") expect(call.headers["authorization"]).toMatch(/^Bearer /);
    else expect(call.query).toMatchObject({ ss: "q", srt: "sco", sig: expect.any(String) });
    return call;
  }

  it("azure-storage-queue-list lists the seeded queues (List Queues: GET /?comp=list)", async () => {
    // learn.microsoft.com/rest/api/storageservices/list-queues1
    const result = await harness.run("azure-storage-queue-list", { prefix: "alerts" });
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", prefix: "alerts", maxresults: "50" });
    expect(result.outputs).toEqual([{ name: "alerts" }, { name: "alerts-poison" }]);
    expect(harness.emulator.requests.at(-1)).toMatchObject({ service: "storage", status: 200 });
  });

  it("-message-peek, -message-create and -message-get read, add and hide messages", async () => {
    // learn.microsoft.com/rest/api/storageservices/peek-messages: GET /{queue}/messages?peekonly=true
    const peeked = await harness.run("azure-storage-queue-message-peek", {
      queue_name: "alerts",
      limit: "5",
    });
    expect(sent("GET", "/alerts/messages").query).toMatchObject({ peekonly: "true", numofmessages: "5" });
    expect(peeked.readable).toContain(
      "|5974b586-0df3-4e2d-ad0c-18e3892bfca2|incident 42: impossible travel|",
    );
    expect(peeked.outputs).toMatchObject({
      name: "alerts",
      Message: [{ DequeueCount: 0 }, { DequeueCount: 0 }],
    });

    // learn.microsoft.com/rest/api/storageservices/put-message: POST /{queue}/messages, <QueueMessage> body
    const created = await harness.run("azure-storage-queue-message-create", {
      queue_name: "alerts",
      message_content: "incident 44 <urgent>",
    });
    expect(sent("POST", "/alerts/messages").body).toBe(
      "<QueueMessage><MessageText>incident 44 &lt;urgent&gt;</MessageText></QueueMessage>",
    );
    const id = (created.outputs as { Message: Array<{ MessageId: string }> }).Message[0]!.MessageId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // learn.microsoft.com/rest/api/storageservices/get-messages: GET /{queue}/messages&visibilitytimeout
    const got = await harness.run("azure-storage-queue-message-get", {
      queue_name: "alerts",
      visibility_time_out: "120",
    });
    expect(sent("GET", "/alerts/messages").query).toMatchObject({
      numofmessages: "1",
      visibilitytimeout: "120",
    });
    expect(got.outputs).toMatchObject({
      Message: [
        {
          MessageId: "5974b586-0df3-4e2d-ad0c-18e3892bfca2",
          DequeueCount: 1,
          PopReceipt: expect.any(String),
        },
      ],
    });
    // The message retrieved is hidden for 120 s; the one added is now visible after the other seeded one.
    const after = await harness.run("azure-storage-queue-message-peek", {
      queue_name: "alerts",
      limit: "32",
    });
    const texts = (after.outputs as { Message: Array<{ MessageText: string }> }).Message.map(
      (m) => m.MessageText,
    );
    expect(texts).toEqual(["incident 43: malware detected", "incident 44 <urgent>"]);
  });

  it("-message-delete deletes a message read with its pop receipt; -message-dequeue takes the next one", async () => {
    await harness.run("azure-storage-queue-create", { queue_name: "dequeue-test" });
    await harness.run("azure-storage-queue-message-create", {
      queue_name: "dequeue-test",
      message_content: "one",
    });
    await harness.run("azure-storage-queue-message-create", {
      queue_name: "dequeue-test",
      message_content: "two",
    });
    const got = await harness.run("azure-storage-queue-message-get", { queue_name: "dequeue-test" });
    const [message] = (got.outputs as { Message: Array<{ MessageId: string; PopReceipt: string }> }).Message;
    // learn.microsoft.com/rest/api/storageservices/delete-message2: DELETE /{queue}/messages/{id}?popreceipt=…
    const deleted = await harness.run("azure-storage-queue-message-delete", {
      queue_name: "dequeue-test",
      message_id: message!.MessageId,
      pop_receipt: message!.PopReceipt,
    });
    expect(sent("DELETE", `/dequeue-test/messages/${message!.MessageId}`).query).toMatchObject({
      popreceipt: message!.PopReceipt,
    });
    expect(deleted.readable).toBe("Message in dequeue-test successfully deleted.");
    // Get Messages (one), then Delete Message with its pop receipt.
    const dequeued = await harness.run("azure-storage-queue-message-dequeue", { queue_name: "dequeue-test" });
    expect(dequeued.readable).toBe("Message in dequeue-test successfully dequeued.");
    expect(harness.calls.map((call) => call.method)).toEqual(expect.arrayContaining(["GET", "DELETE"]));
    const left = await harness.run("azure-storage-queue-message-peek", {
      queue_name: "dequeue-test",
      limit: "32",
    });
    expect((left.outputs as { Message: unknown[] }).Message).toEqual([]);
    await harness.run("azure-storage-queue-delete", { queue_name: "dequeue-test" });
  });

  it("-list returns XSOAR's page (from 1) of limit queues", async () => {
    const result = await harness.run("azure-storage-queue-list", { prefix: "alerts", limit: "1", page: "2" });
    expect(result.outputs).toEqual([{ name: "alerts-poison" }]);
  });

  it("-create, -metadata-set, -message-clear and -delete change the account", async () => {
    // learn.microsoft.com/rest/api/storageservices/create-queue4: PUT /{queue}, x-ms-meta-* headers
    await harness.run("azure-storage-queue-create", { queue_name: "soc-cases", metadata: '{"owner":"soc"}' });
    expect(sent("PUT", "/soc-cases").headers["x-ms-meta-owner"]).toBe("soc");
    // learn.microsoft.com/rest/api/storageservices/set-queue-metadata: PUT /{queue}?comp=metadata
    const set = await harness.run("azure-storage-queue-metadata-set", {
      queue_name: "soc-cases",
      metadata: '{"tier":"hot"}',
    });
    expect(sent("PUT", "/soc-cases").query["comp"]).toBe("metadata");
    expect(set.readable).toBe("Queue soc-cases metadata successfully updated.");
    await harness.run("azure-storage-queue-message-create", {
      queue_name: "soc-cases",
      message_content: "a",
    });
    // learn.microsoft.com/rest/api/storageservices/clear-messages: DELETE /{queue}/messages
    const cleared = await harness.run("azure-storage-queue-message-clear", { queue_name: "soc-cases" });
    sent("DELETE", "/soc-cases/messages");
    expect(cleared.readable).toBe("Queue soc-cases was cleared of messages successfully.");
    const empty = await harness.run("azure-storage-queue-message-peek", { queue_name: "soc-cases" });
    expect(empty.outputs).toEqual({ name: "soc-cases", Message: [] });
    expect((await harness.run("azure-storage-queue-list", {})).outputs).toContainEqual({ name: "soc-cases" });
    // learn.microsoft.com/rest/api/storageservices/delete-queue3: DELETE /{queue}
    const deleted = await harness.run("azure-storage-queue-delete", { queue_name: "soc-cases" });
    sent("DELETE", "/soc-cases");
    expect(deleted.readable).toBe("Queue soc-cases successfully deleted.");
    expect((await harness.run("azure-storage-queue-list", {})).outputs).not.toContainEqual({
      name: "soc-cases",
    });
    await expect(
      harness.run("azure-storage-queue-message-peek", { queue_name: "soc-cases" }),
    ).rejects.toThrow("QueueNotFound");
  });

  it("-test lists one queue at the emulator and names what it reached", async () => {
    const before = harness.emulator.requests.filter((request) => request.service === "storage").length;
    const result = await harness.run("azure-storage-queue-test", {});
    const storage = harness.emulator.requests.filter((request) => request.service === "storage");
    expect(storage.length - before).toBe(1);
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", maxresults: "1" });
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(`- Azure Queue Storage: GET ${HOST}/`);
    expect(result.readable).toContain("→ 200");
  });
});

describe("Azure Storage Queue: refusals name what is missing", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params: { account_name: DEMO_STORAGE_ACCOUNT } });
  });
  afterAll(() => harness.close());

  it("a managed identity with only Storage Queue Data Reader gets 403 on -create, which names its role", async () => {
    const identity = harness.emulator.seed.managedIdentities!.find(
      (candidate) => candidate.clientId === DEMO_USER_ASSIGNED_CLIENT_ID,
    )!;
    identity.grants = { ...identity.grants, storage: ["Storage Queue Data Reader"] };
    const params = {
      use_managed_identities: true,
      managed_identities_client_id: DEMO_USER_ASSIGNED_CLIENT_ID,
    };
    const listed = await harness.run("azure-storage-queue-list", {}, params);
    expect(listed.outputs).toContainEqual({ name: "alerts" });
    const failure = harness.run("azure-storage-queue-create", { queue_name: "new-queue" }, params);
    await expect(failure).rejects.toThrow("AuthorizationPermissionMismatch");
    await expect(failure).rejects.toThrow(
      "azure-storage-queue-create needs: Azure role Storage Queue Data Contributor",
    );
  });

  it("a SAS without the add permission gets 403 on -message-create; a forged one fails -test with the fix", async () => {
    const readOnly = { sas_token: demoAccountSas({ ss: "q", sp: "rl" }) };
    const failure = harness.run(
      "azure-storage-queue-message-create",
      { queue_name: "alerts", message_content: "x" },
      readOnly,
    );
    await expect(failure).rejects.toThrow("AuthorizationPermissionMismatch");
    await expect(failure).rejects.toThrow("azure-storage-queue-message-create needs: Azure role");

    const forged = demoAccountSas({ ss: "q" }).replace(/sig=[^&]+/, "sig=c2lnbmF0dXJl");
    const test = harness.run("azure-storage-queue-test", {}, { sas_token: forged });
    await expect(test).rejects.toThrow(/could not reach Azure Queue Storage: GET .* answered HTTP 403/);
    await expect(test).rejects.toThrow("AuthenticationFailed");
  });

  it("a SAS for the Blob service only is refused with AuthorizationServiceMismatch", async () => {
    await expect(
      harness.run("azure-storage-queue-list", {}, { sas_token: demoAccountSas({ ss: "b" }) }),
    ).rejects.toThrow("AuthorizationServiceMismatch");
  });
});
