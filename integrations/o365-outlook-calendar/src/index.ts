import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { deleteEvent, getEvent, listCalendars, listEvents, testCalendars } from "./calendar.js";

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

const userArgument = {
  name: "user",
  description: "The mailbox (UPN or object ID); default: the instance's Default user.",
} as const;

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
        { name: "limit", description: "The most calendars to return (1-100).", defaultValue: "50" },
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
    "msgraph-calendar-list-events": {
      description: "Lists the events of a user's default calendar.",
      arguments: [
        userArgument,
        { name: "calendar_id", description: "Another calendar than the default." },
        { name: "filter", description: "An OData $filter, e.g. start/dateTime ge '2024-05-01T00:00:00'." },
        { name: "limit", description: "The most events to return (1-100).", defaultValue: "50" },
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
    "msgraph-calendar-delete-event": {
      description: "Deletes an event.",
      arguments: [userArgument, { name: "event_id", description: "The event's ID.", required: true }],
      // event-delete
      permissions: { application: ["Calendars.ReadWrite"] },
      run: deleteEvent,
    },
  },
  // One calendar of the Default user (without one: of the first user, which also needs User.Read.All).
  test: testCalendars,
  testPermissions: CALENDAR_READ,
});
