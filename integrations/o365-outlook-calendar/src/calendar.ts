import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

interface GraphEvent {
  id?: string;
  subject?: string;
  organizer?: { emailAddress?: { address?: string } };
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  location?: { displayName?: string };
  isCancelled?: boolean;
  webLink?: string;
}

function userPath(context: CommandContext): string {
  const user = argumentOrParameter(context, "user", { key: "default_user", displayName: "Default user" });
  return `/v1.0/users/${encodeURIComponent(user)}`;
}

/** `<prefix>-test`: one calendar of the Default user, or of the first user when there is none. */
export async function testCalendars(context: CommandContext): Promise<void> {
  let user = typeof context.params["default_user"] === "string" ? context.params["default_user"].trim() : "";
  if (!user) {
    const users = await context.api.get<{ value?: Array<{ id?: string }> }>(
      "/v1.0/users",
      { $top: 1, $select: "id" },
      { expect: "collection" },
    );
    user = users.value?.[0]?.id ?? "";
    if (!user) return;
  }
  await context.api.get(
    `/v1.0/users/${encodeURIComponent(user)}/calendars`,
    { $top: 1 },
    { expect: "collection" },
  );
}

/** An event as the XSOAR integration writes it under `MSGraphCalendar.Event`. */
export function toContextEvent(event: GraphEvent): Record<string, unknown> {
  return {
    ID: event.id,
    Subject: event.subject,
    Organizer: event.organizer?.emailAddress?.address,
    Start: event.start?.dateTime,
    End: event.end?.dateTime,
    Location: event.location?.displayName,
    IsCancelled: event.isCancelled,
    WebLink: event.webLink,
  };
}

const EVENT_HEADERS = ["Subject", "Organizer", "Start", "End", "Location", "IsCancelled", "ID"];

/**
 * A list request as XSOAR's list commands take it: `top` (page size and most items), `order_by` ($orderby), or a
 * `next_link` (a previous answer's @odata.nextLink) read as it is.
 */
function listQuery(context: CommandContext, path: string, filter?: string) {
  const limit = limitArgument(context, 100, "top");
  const nextLink = context.args["next_link"];
  if (nextLink) return { path: nextLink, query: {}, limit };
  return { path, query: { $top: limit, $filter: filter, $orderby: context.args["order_by"] }, limit };
}

/** `msgraph-calendar-list-calendars`: GET /v1.0/users/{user}/calendars. */
export async function listCalendars(context: CommandContext): Promise<CommandResult> {
  const { path, query, limit } = listQuery(context, `${userPath(context)}/calendars`);
  const { items } = await collectPages<{
    id?: string;
    name?: string;
    owner?: { address?: string };
    canEdit?: boolean;
  }>(context.api, path, query, limit);
  const calendars = items.map((calendar) => ({
    ID: calendar.id,
    Name: calendar.name,
    Owner: calendar.owner?.address,
    CanEdit: calendar.canEdit,
  }));
  return {
    readable: tableToMarkdown("Calendars:", calendars, ["Name", "Owner", "CanEdit", "ID"]),
    outputsPrefix: "MSGraphCalendar.Calendar",
    outputsKeyField: "ID",
    outputs: calendars,
    raw: items,
  };
}

/** `msgraph-calendar-list-events`: GET /v1.0/users/{user}/calendar[s/{id}]/events. */
export async function listEvents(context: CommandContext): Promise<CommandResult> {
  const calendar = context.args["calendar_id"]
    ? `calendars/${encodeURIComponent(context.args["calendar_id"])}`
    : "calendar";
  const { path, query, limit } = listQuery(
    context,
    `${userPath(context)}/${calendar}/events`,
    context.args["filter_by"],
  );
  const { items } = await collectPages<GraphEvent>(context.api, path, query, limit);
  const events = items.map(toContextEvent);
  return {
    readable: tableToMarkdown("Events:", events, EVENT_HEADERS),
    outputsPrefix: "MSGraphCalendar.Event",
    outputsKeyField: "ID",
    outputs: events,
    raw: items,
  };
}

/** `msgraph-calendar-get-event`: GET /v1.0/users/{user}/events/{id}. */
export async function getEvent(context: CommandContext<{ event_id: string }>): Promise<CommandResult> {
  const event = await context.api.get<GraphEvent>(
    `${userPath(context)}/events/${encodeURIComponent(context.args["event_id"])}`,
  );
  const entry = toContextEvent(event);
  return {
    readable: tableToMarkdown(`Event - ${event.subject ?? event.id}`, [entry], EVENT_HEADERS),
    outputsPrefix: "MSGraphCalendar.Event",
    outputsKeyField: "ID",
    outputs: entry,
    raw: event,
  };
}

/** `msgraph-calendar-get-calendar`: GET /v1.0/users/{user}/calendar or /calendars/{id}. */
export async function getCalendar(context: CommandContext): Promise<CommandResult> {
  const id = context.args["calendar_id"];
  const calendar = await context.api.get<{
    id?: string;
    name?: string;
    owner?: { address?: string };
    canEdit?: boolean;
  }>(`${userPath(context)}/${id ? `calendars/${encodeURIComponent(id)}` : "calendar"}`);
  const entry = {
    ID: calendar.id,
    Name: calendar.name,
    Owner: calendar.owner?.address,
    CanEdit: calendar.canEdit,
  };
  return {
    readable: tableToMarkdown(
      `Calendar: ${calendar.name ?? calendar.id}`,
      [entry],
      ["Name", "Owner", "CanEdit", "ID"],
    ),
    outputsPrefix: "MSGraphCalendar.Calendar",
    outputsKeyField: "ID",
    outputs: entry,
    raw: calendar,
  };
}

/** The event resource's properties from XSOAR's event arguments (only those given). */
function eventBody(args: Record<string, string | undefined>): Record<string, unknown> {
  const zone = args["time_zone"] ?? "UTC";
  const body: Record<string, unknown> = {};
  if (args["subject"]) body["subject"] = args["subject"];
  if (args["body"]) body["body"] = { contentType: "html", content: args["body"] };
  if (args["location"]) body["location"] = { displayName: args["location"] };
  if (args["start"]) body["start"] = { dateTime: args["start"], timeZone: zone };
  if (args["end"]) body["end"] = { dateTime: args["end"], timeZone: zone };
  if (args["original_start"]) body["originalStart"] = args["original_start"];
  if (args["original_start_time_zone"]) body["originalStartTimeZone"] = args["original_start_time_zone"];
  if (args["original_end_time_zone"]) body["originalEndTimeZone"] = args["original_end_time_zone"];
  if (args["attendees"]) {
    body["attendees"] = args["attendees"]
      .split(",")
      .map((address) => address.trim())
      .filter(Boolean)
      .map((address) => ({ type: "required", emailAddress: { address } }));
  }
  return body;
}

/**
 * `msgraph-calendar-create-event`: POST /v1.0/users/{user}/calendar[s/{id}]/events (user-post-events);
 * `msgraph-calendar-update-event`: PATCH /v1.0/users/{user}/events/{id} (event-update).
 */
export async function writeEvent(context: CommandContext, kind: "create" | "update"): Promise<CommandResult> {
  const body = eventBody(context.args);
  if (Object.keys(body).length === 0) {
    throw new UsageError("Give at least one of subject, body, location, start, end or attendees.");
  }
  const calendarId = context.args["calendar_id"];
  const path =
    kind === "update"
      ? `${userPath(context)}/events/${encodeURIComponent(context.args["event_id"] ?? "")}`
      : `${userPath(context)}/${calendarId ? `calendars/${encodeURIComponent(calendarId)}` : "calendar"}/events`;
  const event = await context.api.request<GraphEvent>({
    method: kind === "update" ? "PATCH" : "POST",
    path,
    body,
    expect: "object",
  });
  const entry = toContextEvent(event);
  return {
    readable: tableToMarkdown(
      `Event was ${kind === "update" ? "updated" : "created"}: ${event.subject ?? event.id}`,
      [entry],
      EVENT_HEADERS,
    ),
    outputsPrefix: "MSGraphCalendar.Event",
    outputsKeyField: "ID",
    outputs: entry,
    raw: event,
  };
}

/** `msgraph-calendar-delete-event`: DELETE /v1.0/users/{user}/events/{id}. */
export async function deleteEvent(context: CommandContext<{ event_id: string }>): Promise<CommandResult> {
  const id = context.args["event_id"];
  await context.api.request({
    method: "DELETE",
    path: `${userPath(context)}/events/${encodeURIComponent(id)}`,
  });
  return {
    readable: `Event ${id} was deleted successfully.`,
    outputsPrefix: "MSGraphCalendar.Event",
    outputsKeyField: "ID",
    outputs: { ID: id, Deleted: true },
  };
}
