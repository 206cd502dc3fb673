import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  collectPages,
  limitArgument,
  tableToMarkdown,
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

/** `msgraph-calendar-list-calendars`: GET /v1.0/users/{user}/calendars. */
export async function listCalendars(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 100);
  const { items } = await collectPages<{
    id?: string;
    name?: string;
    owner?: { address?: string };
    canEdit?: boolean;
  }>(context.api, `${userPath(context)}/calendars`, { $top: limit }, limit);
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
  const limit = limitArgument(context, 100);
  const calendar = context.args["calendar_id"]
    ? `calendars/${encodeURIComponent(context.args["calendar_id"])}`
    : "calendar";
  const { items } = await collectPages<GraphEvent>(
    context.api,
    `${userPath(context)}/${calendar}/events`,
    { $top: limit, $filter: context.args["filter"] },
    limit,
  );
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
