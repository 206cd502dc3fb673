import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const USER = "adelev@contoso.onmicrosoft.com";
const EVENT = {
  id: "AAMkAGI2TG93AAA=",
  subject: "Incident review",
  organizer: { emailAddress: { address: USER } },
  start: { dateTime: "2024-05-02T09:00:00.0000000", timeZone: "UTC" },
  end: { dateTime: "2024-05-02T09:30:00.0000000", timeZone: "UTC" },
  location: { displayName: "SOC room" },
  isCancelled: false,
};

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    grants: { graph: ["Calendars.ReadWrite"] },
    params: { default_user: USER },
  });
  const { emulator } = harness;
  const spec = { resource: "graph", roles: ["Calendars.Read", "Calendars.ReadWrite"] };
  emulator.addRoute("GET", "/v1.0/users/:user/calendars", spec, (ctx) =>
    ctx.json(200, {
      value: [{ id: "AAMkCal=", name: "Calendar", owner: { address: ctx.params["user"] }, canEdit: true }],
    }),
  );
  emulator.addRoute("GET", "/v1.0/users/:user/calendar/events", spec, (ctx) =>
    ctx.json(200, { value: [EVENT] }),
  );
  emulator.addRoute("GET", "/v1.0/users/:user/calendars/:calendar/events", spec, (ctx) =>
    ctx.json(200, { value: [] }),
  );
  emulator.addRoute("GET", "/v1.0/users/:user/events/:id", spec, (ctx) => ctx.json(200, EVENT));
  emulator.addRoute(
    "DELETE",
    "/v1.0/users/:user/events/:id",
    { resource: "graph", roles: ["Calendars.ReadWrite"] },
    (ctx) => ctx.empty(204),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("calendars and events", () => {
  it("msgraph-calendar-list-calendars for the default user", async () => {
    const result = await harness.run("msgraph-calendar-list-calendars");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: `/v1.0/users/${USER}/calendars`,
      query: { $top: "50" },
    });
    expect(result.readable).toContain(`|Calendar|${USER}|true|AAMkCal=|`);
  });

  it("msgraph-calendar-list-events of the default calendar, or of another", async () => {
    const result = await harness.run("msgraph-calendar-list-events", {
      filter_by: "start/dateTime ge '2024-05-01T00:00:00'",
    });
    expect(harness.lastCall()).toMatchObject({
      path: `/v1.0/users/${USER}/calendar/events`,
      query: { $filter: "start/dateTime ge '2024-05-01T00:00:00'" },
    });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        ID: EVENT.id,
        Subject: "Incident review",
        Organizer: USER,
        Location: "SOC room",
      }),
    ]);
    await harness.run("msgraph-calendar-list-events", {
      user: "alexw@contoso.onmicrosoft.com",
      calendar_id: "AAMkCal=",
    });
    expect(harness.lastCall().path).toBe(
      "/v1.0/users/alexw@contoso.onmicrosoft.com/calendars/AAMkCal=/events",
    );
  });

  it("msgraph-calendar-get-event and -delete-event", async () => {
    const event = await harness.run("msgraph-calendar-get-event", { event_id: EVENT.id });
    expect(harness.lastCall().path).toBe(`/v1.0/users/${USER}/events/${EVENT.id}`);
    expect(event.readable).toContain("### Event - Incident review");
    await harness.run("msgraph-calendar-delete-event", { event_id: EVENT.id });
    expect(harness.lastCall().method).toBe("DELETE");
  });

  it("names the Default user parameter when no user is given", async () => {
    await expect(harness.run("msgraph-calendar-list-events", {}, { default_user: "" })).rejects.toThrow(
      "Default user is not set",
    );
  });
});

describe("auth errors", () => {
  it("an app without a calendar permission is denied", async () => {
    await expect(
      harness.runWithToken("msgraph-calendar-list-events", {}, { roles: ["User.Read.All"] }),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
