import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials against the emulator's built-in Graph calendar double.

const USER = "meganb@contoso.onmicrosoft.com";

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration, { params: { default_user: USER } });
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

describe("calendars through client credentials", () => {
  it("msgraph-calendar-list-calendars lists the Default user's calendars", async () => {
    const result = await harness.run("msgraph-calendar-list-calendars", { top: "10" });
    // learn.microsoft.com/graph/api/user-list-calendars: GET /users/{id}/calendars.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: `/v1.0/users/${USER}/calendars`,
      query: { $top: "10" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({ Name: "Calendar", Owner: USER, CanEdit: true }),
      expect.objectContaining({ Name: "Incident bridge" }),
      expect.objectContaining({ Name: "United States holidays" }),
    ]);
  });

  it("msgraph-calendar-list-events: the default calendar, another calendar, and a filter", async () => {
    const events = await harness.run("msgraph-calendar-list-events", {
      user: "adelev@contoso.onmicrosoft.com",
    });
    // learn.microsoft.com/graph/api/user-list-events (GET /users/{id}/calendar/events).
    expect(harness.lastCall().path).toBe("/v1.0/users/adelev@contoso.onmicrosoft.com/calendar/events");
    expect((events.outputs as Array<{ Subject: string }>).map((event) => event.Subject)).toEqual([
      "Weekly security sync",
      "Phishing awareness training",
      "Vendor review: Fabrikam",
    ]);

    const calendars = await harness.run("msgraph-calendar-list-calendars");
    const bridge = (calendars.outputs as Array<{ ID: string; Name: string }>).find(
      (calendar) => calendar.Name === "Incident bridge",
    )!;
    const other = await harness.run("msgraph-calendar-list-events", { calendar_id: bridge.ID });
    // learn.microsoft.com/graph/api/calendar-list-events: GET /users/{id}/calendars/{id}/events.
    expect(harness.lastCall().path).toBe(`/v1.0/users/${USER}/calendars/${bridge.ID}/events`);
    expect(other.outputs).toEqual([expect.objectContaining({ Subject: "Incident 4711 bridge" })]);

    const later = await harness.run("msgraph-calendar-list-events", {
      filter_by: "start/dateTime ge '2026-12-09T00:00:00'",
    });
    expect(harness.lastCall().query["$filter"]).toBe("start/dateTime ge '2026-12-09T00:00:00'");
    expect((later.outputs as Array<{ Subject: string }>).map((event) => event.Subject)).toEqual([
      "Phishing awareness training",
      "Vendor review: Fabrikam",
    ]);
  });

  it("msgraph-calendar-get-event and -delete-event: a deleted event is gone", async () => {
    const events = await harness.run("msgraph-calendar-list-events");
    const training = (events.outputs as Array<{ ID: string; Subject: string }>).find(
      (event) => event.Subject === "Phishing awareness training",
    )!;
    const event = await harness.run("msgraph-calendar-get-event", { event_id: training.ID });
    // learn.microsoft.com/graph/api/event-get
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: `/v1.0/users/${USER}/events/${training.ID}`,
    });
    expect(event.outputs).toMatchObject({
      Subject: "Phishing awareness training",
      Organizer: USER,
      Location: "Conf Room 18/2111",
      Start: "2026-12-10T14:00:00.0000000",
    });

    const deleted = await harness.run("msgraph-calendar-delete-event", { event_id: training.ID });
    // learn.microsoft.com/graph/api/event-delete
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: `/v1.0/users/${USER}/events/${training.ID}`,
    });
    expect(deleted.outputs).toEqual({ ID: training.ID, Deleted: true });
    await expect(harness.run("msgraph-calendar-get-event", { event_id: training.ID })).rejects.toThrow(
      "ErrorItemNotFound",
    );
  });
});

describe("XSOAR's calendar and event writes", () => {
  it("msgraph-calendar-get-calendar: the default calendar, and another by ID", async () => {
    const main = await harness.run("msgraph-calendar-get-calendar");
    // learn.microsoft.com/graph/api/calendar-get: GET /users/{id}/calendar or /users/{id}/calendars/{id}.
    expect(harness.lastCall()).toMatchObject({ method: "GET", path: `/v1.0/users/${USER}/calendar` });
    expect(main.outputs).toMatchObject({ Name: "Calendar", Owner: USER, CanEdit: true });
    const calendars = await harness.run("msgraph-calendar-list-calendars");
    const bridge = (calendars.outputs as Array<{ ID: string; Name: string }>)[1]!;
    const other = await harness.run("msgraph-calendar-get-calendar", { calendar_id: bridge.ID });
    expect(harness.lastCall().path).toBe(`/v1.0/users/${USER}/calendars/${bridge.ID}`);
    expect(other.outputs).toMatchObject({ ID: bridge.ID, Name: "Incident bridge" });
  });

  it("msgraph-calendar-create-event then -update-event; a later get shows both", async () => {
    const created = await harness.run("msgraph-calendar-create-event", {
      subject: "Incident 4712 review",
      start: "2026-12-14T10:00:00",
      end: "2026-12-14T10:30:00",
      location: "Teams",
      attendees: "adelev@contoso.onmicrosoft.com, alexw@contoso.onmicrosoft.com",
    });
    // learn.microsoft.com/graph/api/user-post-events: POST /users/{id}/calendar/events with the event.
    expect(harness.lastCall()).toMatchObject({
      method: "POST",
      path: `/v1.0/users/${USER}/calendar/events`,
      body: {
        subject: "Incident 4712 review",
        start: { dateTime: "2026-12-14T10:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-12-14T10:30:00", timeZone: "UTC" },
        location: { displayName: "Teams" },
        attendees: [
          { type: "required", emailAddress: { address: "adelev@contoso.onmicrosoft.com" } },
          { type: "required", emailAddress: { address: "alexw@contoso.onmicrosoft.com" } },
        ],
      },
    });
    const id = (created.outputs as { ID: string }).ID;
    expect(created.outputs).toMatchObject({ Subject: "Incident 4712 review", Organizer: USER });

    const updated = await harness.run("msgraph-calendar-update-event", {
      event_id: id,
      subject: "Incident 4712 post-mortem",
      time_zone: "Pacific Standard Time",
      start: "2026-12-15T09:00:00",
    });
    // learn.microsoft.com/graph/api/event-update: PATCH /users/{id}/events/{id} with the changed properties.
    expect(harness.lastCall()).toMatchObject({
      method: "PATCH",
      path: `/v1.0/users/${USER}/events/${id}`,
      body: {
        subject: "Incident 4712 post-mortem",
        start: { dateTime: "2026-12-15T09:00:00", timeZone: "Pacific Standard Time" },
      },
    });
    expect(updated.outputs).toMatchObject({ ID: id, Subject: "Incident 4712 post-mortem" });
    const event = await harness.run("msgraph-calendar-get-event", { event_id: id });
    expect(event.outputs).toMatchObject({
      Subject: "Incident 4712 post-mortem",
      Start: "2026-12-15T09:00:00",
      Location: "Teams",
    });
    await expect(harness.run("msgraph-calendar-update-event", { event_id: id })).rejects.toThrow(
      "Give at least one of subject",
    );
  });
});

describe("through the machine's managed identity", () => {
  it("msgraph-calendar-list-events and -test with the system-assigned identity's token (IMDS)", async () => {
    const identity = { use_managed_identities: true, auth_id: undefined, enc_key: undefined };
    const result = await harness.run("msgraph-calendar-list-events", {}, identity);
    expect((result.outputs as unknown[]).length).toBeGreaterThan(0);
    const imds = harness.emulator.requests.find(
      (request) => request.path === "/metadata/identity/oauth2/token",
    )!;
    expect(imds.query["resource"]).toBe("https://graph.microsoft.com");
    const test = await harness.run("msgraph-calendar-test", {}, identity);
    expect(test.readable).toContain("authenticated with Azure Managed Identities and reached:");
  });
});

describe("-test and permissions", () => {
  it("msgraph-calendar-test reads one calendar of the Default user", async () => {
    const result = await harness.run("msgraph-calendar-test");
    const graph = harness.emulator.requests.filter((request) => request.service === "graph");
    expect(graph.map((request) => `${request.method} ${decodeURIComponent(request.path)}`)).toEqual([
      `GET /v1.0/users/${USER}/calendars`,
    ]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain(
      `- Microsoft Graph: GET graph.microsoft.com/v1.0/users/${encodeURIComponent(USER)}/calendars → 200`,
    );
  });

  it("msgraph-calendar-auth-test with an app without permissions fails naming Calendars.ReadBasic", async () => {
    await expect(harness.run("msgraph-calendar-auth-test", {}, noGrant)).rejects.toThrow(
      /lacks the application permission Calendars\.ReadBasic/,
    );
  });

  it("a 403 of a command names the command's permission", async () => {
    const error = await harness
      .run("msgraph-calendar-delete-event", { event_id: "AAMkAGI2" }, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain("ErrorAccessDenied");
    expect(String(error)).toContain(
      "msgraph-calendar-delete-event needs: application permission Calendars.ReadWrite",
    );
  });
});
