import { ODataError } from "../graph/odata.js";
import type { RouteContext, SeedUser } from "../types.js";
import {
  addressedUser,
  filterAndSort,
  type GraphAccess,
  MAILBOX_PREFIXES,
  opaqueId,
  outlookDenial,
  page,
  route,
  selected,
} from "./graph-m365-shared.js";
import type { ServiceRoute } from "./types.js";

// Outlook calendars of every user: calendars, events of the default or another calendar, get and delete.

/** user-list-calendars, user-list-events, calendar-list-events, event-get (learn.microsoft.com/graph/api/…). */
export const CALENDAR_READ: GraphAccess = {
  application: ["Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"],
  delegated: ["Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"],
};
/** event-delete, user-post-events. */
export const CALENDAR_WRITE: GraphAccess = {
  application: ["Calendars.ReadWrite"],
  delegated: ["Calendars.ReadWrite"],
};

type CalendarEvent = Record<string, unknown> & { id: string; calendarId: string };

interface Calendars {
  calendars: Array<Record<string, unknown> & { id: string; isDefaultCalendar: boolean }>;
  events: CalendarEvent[];
}

function seedCalendars(owner: SeedUser): Calendars {
  const address = owner.mail ?? owner.userPrincipalName;
  const owned = { name: owner.displayName, address };
  const calendar = (name: string, isDefault: boolean, color: string) => ({
    id: opaqueId("AAMkAGI2TGuLAAA=", `${owner.id}:${name}`),
    name,
    color,
    hexColor: "",
    isDefaultCalendar: isDefault,
    changeKey: "nfZyf7VcrEKLNoU37KWlkQAAA0x0+w==",
    canShare: isDefault,
    canViewPrivateItems: true,
    canEdit: isDefault,
    allowedOnlineMeetingProviders: ["teamsForBusiness"],
    defaultOnlineMeetingProvider: "teamsForBusiness",
    isTallyingResponses: isDefault,
    isRemovable: !isDefault,
    owner: owned,
  });
  const calendars = [
    calendar("Calendar", true, "auto"),
    calendar("Incident bridge", false, "lightRed"),
    calendar("United States holidays", false, "lightGreen"),
  ];
  const event = (calendarIndex: number, subject: string, start: string, end: string, location: string) => {
    const id = opaqueId("AAMkAGI2TGuLAAEvent", `${owner.id}:${subject}`);
    return {
      "@odata.etag": 'W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw=="',
      id,
      calendarId: calendars[calendarIndex]!.id,
      createdDateTime: "2026-11-20T08:00:00Z",
      lastModifiedDateTime: "2026-11-20T08:00:00Z",
      subject,
      bodyPreview: `${subject}.`,
      importance: "normal",
      sensitivity: "normal",
      isAllDay: false,
      isCancelled: false,
      isOrganizer: true,
      showAs: "busy",
      type: "singleInstance",
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
      body: { contentType: "html", content: `<html><body>${subject}</body></html>` },
      start: { dateTime: start, timeZone: "UTC" },
      end: { dateTime: end, timeZone: "UTC" },
      location: { displayName: location, locationType: "default" },
      attendees: [
        {
          type: "required",
          status: { response: "accepted", time: "2026-11-20T09:00:00Z" },
          emailAddress: { name: "Megan Bowen", address: "meganb@contoso.onmicrosoft.com" },
        },
      ],
      organizer: { emailAddress: owned },
      isOnlineMeeting: location === "Microsoft Teams Meeting",
    };
  };
  return {
    calendars,
    events: [
      event(
        0,
        "Weekly security sync",
        "2026-12-08T09:00:00.0000000",
        "2026-12-08T09:30:00.0000000",
        "Microsoft Teams Meeting",
      ),
      event(
        0,
        "Phishing awareness training",
        "2026-12-10T14:00:00.0000000",
        "2026-12-10T15:00:00.0000000",
        "Conf Room 18/2111",
      ),
      event(
        0,
        "Vendor review: Fabrikam",
        "2026-12-15T11:00:00.0000000",
        "2026-12-15T12:00:00.0000000",
        "Conf Room 12/1110",
      ),
      event(
        1,
        "Incident 4711 bridge",
        "2026-12-07T08:00:00.0000000",
        "2026-12-07T09:00:00.0000000",
        "Microsoft Teams Meeting",
      ),
    ],
  };
}

function notFound(): ODataError {
  return new ODataError("ErrorItemNotFound", "The specified object was not found in the store.", 404);
}

/** The calendar routes over a fresh copy of the seeded calendars (one set per user, made on first use). */
export function calendarRoutes(): ServiceRoute[] {
  const all = new Map<string, Calendars>();
  const calendarsOf = (context: RouteContext) => {
    const owner = addressedUser(context);
    let data = all.get(owner.id);
    if (!data) {
      data = seedCalendars(owner);
      all.set(owner.id, data);
    }
    return data;
  };
  const view = ({ calendarId: _calendar, ...rest }: CalendarEvent) => rest;
  const events = (context: RouteContext, calendarId?: string) => {
    const data = calendarsOf(context);
    const calendar = calendarId
      ? data.calendars.find((candidate) => candidate.id === calendarId)
      : data.calendars.find((candidate) => candidate.isDefaultCalendar);
    if (!calendar) throw notFound();
    const items = data.events.filter((item) => item.calendarId === calendar.id);
    return page(context, filterAndSort(items, context.query).map(view), { defaultTop: 10, maxTop: 1000 });
  };
  const eventOf = (context: RouteContext) => {
    const data = calendarsOf(context);
    const found = data.events.find((item) => item.id === context.params["id"]);
    if (!found) throw notFound();
    return { data, found };
  };
  const create = (context: RouteContext, calendarId?: string) => {
    const data = calendarsOf(context);
    const calendar = calendarId
      ? data.calendars.find((candidate) => candidate.id === calendarId)
      : data.calendars.find((candidate) => candidate.isDefaultCalendar);
    if (!calendar) throw notFound();
    const body = (context.body ?? {}) as Record<string, unknown>;
    if (typeof body["subject"] !== "string" && !body["start"]) {
      throw new ODataError("ErrorInvalidRequest", "The event has neither a subject nor a start.", 400);
    }
    const now = new Date().toISOString();
    const address = calendar.owner as { name?: string; address?: string };
    const created: CalendarEvent = {
      id: opaqueId("AAMkAGI2TGuLAAEvent", `${calendar.id}:${now}:${data.events.length}`),
      calendarId: calendar.id,
      createdDateTime: now,
      lastModifiedDateTime: now,
      isCancelled: false,
      isOrganizer: true,
      organizer: { emailAddress: address },
      ...body,
    };
    data.events.push(created);
    return created;
  };
  const routes: ServiceRoute[] = [];
  for (const prefix of MAILBOX_PREFIXES) {
    routes.push(
      route("GET", `${prefix}/calendars`, CALENDAR_READ, outlookDenial, (context) =>
        page(context, calendarsOf(context).calendars, { defaultTop: 10, maxTop: 1000 }),
      ),
      route("GET", `${prefix}/calendar`, CALENDAR_READ, outlookDenial, (context) =>
        context.json(
          200,
          calendarsOf(context).calendars.find((calendar) => calendar.isDefaultCalendar),
        ),
      ),
      route("GET", `${prefix}/calendar/events`, CALENDAR_READ, outlookDenial, (context) => events(context)),
      route("GET", `${prefix}/events`, CALENDAR_READ, outlookDenial, (context) => events(context)),
      route("GET", `${prefix}/calendars/:calendar/events`, CALENDAR_READ, outlookDenial, (context) =>
        events(context, context.params["calendar"]),
      ),
      route("GET", `${prefix}/events/:id`, CALENDAR_READ, outlookDenial, (context) =>
        context.json(200, selected(view(eventOf(context).found), context.query["$select"])),
      ),
      // calendar-get: GET /users/{id}/calendars/{id}.
      route("GET", `${prefix}/calendars/:calendar`, CALENDAR_READ, outlookDenial, (context) => {
        const found = calendarsOf(context).calendars.find((item) => item.id === context.params["calendar"]);
        if (!found) throw notFound();
        return context.json(200, found);
      }),
      // user-post-events and calendar-post-events: 201 Created with the event.
      route("POST", `${prefix}/calendar/events`, CALENDAR_WRITE, outlookDenial, (context) =>
        context.json(201, view(create(context))),
      ),
      route("POST", `${prefix}/calendars/:calendar/events`, CALENDAR_WRITE, outlookDenial, (context) =>
        context.json(201, view(create(context, context.params["calendar"]))),
      ),
      // event-update: PATCH /users/{id}/events/{id}, 200 with the event.
      route("PATCH", `${prefix}/events/:id`, CALENDAR_WRITE, outlookDenial, (context) => {
        const { found } = eventOf(context);
        Object.assign(found, context.body ?? {}, { lastModifiedDateTime: new Date().toISOString() });
        return context.json(200, view(found));
      }),
      route("DELETE", `${prefix}/events/:id`, CALENDAR_WRITE, outlookDenial, (context) => {
        const { data, found } = eventOf(context);
        data.events = data.events.filter((item) => item !== found);
        return context.empty(204);
      }),
    );
  }
  return routes;
}
