import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  deleteEvent,
  getCalendar,
  getEvent,
  listCalendars,
  listEvents,
  testCalendars,
  writeEvent,
} from "./calendar.js";

// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first (user-list-calendars, user-list-events, calendar-list-events and event-get share it).
const CALENDAR_READ = { application: ["Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"] };

const eventOutputs = [
  { path: "MSGraphCalendar.Event.ID", type: "string", description: "The event's ID." },
  { path: "MSGraphCalendar.Event.Subject", type: "string", description: "The event's subject." },
  { path: "MSGraphCalendar.Event.Organizer", type: "string", description: "The organizer's address." },
  { path: "MSGraphCalendar.Event.Start", type: "date", description: "When the event starts." },
  { path: "MSGraphCalendar.Event.End", type: "date", description: "When the event ends." },
  { path: "MSGraphCalendar.Event.Location", type: "string", description: "Where the event takes place." },
  {
    path: "MSGraphCalendar.Event.IsCancelled",
    type: "boolean",
    description: "Whether the event was cancelled.",
  },
] as const;

// event-delete, event-update, user-post-events: Calendars.ReadWrite.
const CALENDAR_WRITE = { application: ["Calendars.ReadWrite"] };
const calendarOutputs = [
  { path: "MSGraphCalendar.Calendar.ID", type: "string", description: "The calendar's ID." },
  { path: "MSGraphCalendar.Calendar.Name", type: "string", description: "The calendar's name." },
  { path: "MSGraphCalendar.Calendar.Owner", type: "string", description: "The owner's address." },
  {
    path: "MSGraphCalendar.Calendar.CanEdit",
    type: "boolean",
    description: "Whether the calendar is writable.",
  },
] as const;
/** The event's fields as XSOAR's create and update commands take them. */
const eventArguments = [
  { name: "attendees", description: "Comma-separated attendee addresses." },
  { name: "body", description: "The event's body (HTML)." },
  { name: "subject", description: "The event's subject." },
  { name: "location", description: "Where the event takes place." },
  { name: "end", description: "When the event ends, e.g. 2024-05-01T10:00:00." },
  { name: "original_end_time_zone", description: "The end time zone when the event was created." },
  { name: "original_start", description: "The start time when the event was created (ISO 8601)." },
  { name: "start", description: "When the event starts, e.g. 2024-05-01T09:00:00." },
  { name: "time_zone", description: "The time zone of start and end, e.g. UTC.", defaultValue: "UTC" },
  { name: "original_start_time_zone", description: "The start time zone when the event was created." },
] as const;
const userArgument = {
  name: "user",
  description: "The mailbox (UPN or object ID); default: the instance's Default user.",
} as const;

// Names, arguments and the broker app name from demisto/content
// Packs/MicrosoftGraphCalendar/Integrations/MicrosoftGraphCalendar/MicrosoftGraphCalendar.yml
// (data/xsoar/o365-outlook-calendar.json).
/** O365 Outlook Calendar: users' calendars and events through Microsoft Graph. */
export default defineIntegration({
  id: "o365-outlook-calendar",
  version: packageJson.version,
  displayName: "O365 Outlook Calendar",
  commandPrefix: "msgraph-calendar",
  description: "Lists calendars, and lists, reads and deletes events of a user's calendar.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  // The Cortex XSOAR application's name at the token broker, as XSOAR registers it.
  brokerAppName: "ms-graph-calendar",
  resource: graph(),
  permissions: { application: ["Calendars.ReadWrite"] },
  parameters: [
    {
      key: "default_user",
      displayName: "Default user",
      type: "string",
      help: "The mailbox whose calendar commands use when they get no user argument (user principal name or object ID).",
    },
  ],
  commands: {
    "msgraph-calendar-list-calendars": {
      description: "Lists the calendars of a user.",
      arguments: [
        userArgument,
        { name: "order_by", description: "An OData $orderby, e.g. name." },
        { name: "next_link", description: "A previous answer's @odata.nextLink: read that page." },
        { name: "top", description: "The most calendars to return (1-100).", defaultValue: "50" },
      ],
      outputs: [
        { path: "MSGraphCalendar.Calendar.ID", type: "string", description: "The calendar's ID." },
        { path: "MSGraphCalendar.Calendar.Name", type: "string", description: "The calendar's name." },
        { path: "MSGraphCalendar.Calendar.Owner", type: "string", description: "The owner's address." },
        {
          path: "MSGraphCalendar.Calendar.CanEdit",
          type: "boolean",
          description: "Whether the calendar is writable.",
        },
      ],
      // user-list-calendars
      permissions: CALENDAR_READ,
      run: listCalendars,
    },
    "msgraph-calendar-get-calendar": {
      description: "Gets a user's default calendar, or another by its ID.",
      arguments: [userArgument, { name: "calendar_id", description: "Another calendar than the default." }],
      outputs: calendarOutputs,
      // calendar-get
      permissions: CALENDAR_READ,
      run: getCalendar,
    },
    "msgraph-calendar-list-events": {
      description: "Lists the events of a user's default calendar.",
      arguments: [
        userArgument,
        { name: "calendar_id", description: "Another calendar than the default." },
        { name: "order_by", description: "An OData $orderby, e.g. start/dateTime desc." },
        { name: "next_link", description: "A previous answer's @odata.nextLink: read that page." },
        { name: "top", description: "The most events to return (1-100).", defaultValue: "50" },
        {
          name: "filter_by",
          description: "An OData $filter, e.g. start/dateTime ge '2024-05-01T00:00:00'.",
        },
      ],
      outputs: eventOutputs,
      // user-list-events, calendar-list-events
      permissions: CALENDAR_READ,
      run: listEvents,
    },
    "msgraph-calendar-get-event": {
      description: "Gets one event.",
      arguments: [userArgument, { name: "event_id", description: "The event's ID.", required: true }],
      outputs: eventOutputs,
      // event-get
      permissions: CALENDAR_READ,
      run: getEvent,
    },
    "msgraph-calendar-create-event": {
      description: "Creates an event in a user's default calendar or another calendar.",
      arguments: [
        userArgument,
        { name: "calendar_id", description: "Another calendar than the default." },
        ...eventArguments,
      ],
      outputs: eventOutputs,
      // user-post-events, calendar-post-events
      permissions: CALENDAR_WRITE,
      run: (context) => writeEvent(context, "create"),
    },
    "msgraph-calendar-update-event": {
      description: "Updates an event's subject, body, time, location or attendees.",
      arguments: [
        userArgument,
        { name: "event_id", description: "The event's ID.", required: true },
        ...eventArguments,
      ],
      outputs: eventOutputs,
      // event-update
      permissions: CALENDAR_WRITE,
      run: (context) => writeEvent(context, "update"),
    },
    "msgraph-calendar-delete-event": {
      description: "Deletes an event.",
      arguments: [userArgument, { name: "event_id", description: "The event's ID.", required: true }],
      // event-delete
      permissions: CALENDAR_WRITE,
      run: deleteEvent,
    },
  },
  // One calendar of the Default user (without one: of the first user, which also needs User.Read.All).
  test: testCalendars,
  testPermissions: CALENDAR_READ,
});
