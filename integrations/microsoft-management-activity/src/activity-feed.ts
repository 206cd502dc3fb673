import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

function feedPath(context: CommandContext): string {
  const tenant = argumentOrParameter(context, "audited_tenant_id", {
    key: "audited_tenant_id",
    displayName: "Audited Tenant ID",
  });
  return `/api/v1.0/${encodeURIComponent(tenant)}/activity/feed/subscriptions`;
}

function publisher(context: CommandContext): string | undefined {
  const value = context.params["publisher_identifier"] || context.params["audited_tenant_id"];
  return typeof value === "string" ? value : undefined;
}

/** `-test`: lists the audited tenant's subscriptions (a cheap read the feed's every caller may make). */
export async function testFeed(context: CommandContext): Promise<void> {
  await context.api.get(
    `${feedPath(context)}/list`,
    { PublisherIdentifier: publisher(context) },
    { expect: "array" },
  );
}

/** `ms-management-activity-list-subscriptions`: GET /api/v1.0/{tenant}/activity/feed/subscriptions/list. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const subscriptions = await context.api.get<
    Array<{ contentType?: string; status?: string; webhook?: unknown }>
  >(
    `${feedPath(context)}/list`,
    {
      PublisherIdentifier: publisher(context),
    },
    { expect: "array" },
  );
  const entries = (subscriptions ?? []).map((subscription) => ({
    ContentType: subscription.contentType,
    Enabled: subscription.status === "enabled",
  }));
  return {
    readable: tableToMarkdown("Current Subscriptions", entries),
    outputsPrefix: "MicrosoftManagement.Subscription",
    outputsKeyField: "ContentType",
    outputs: entries,
    raw: subscriptions,
  };
}

async function changeSubscription(
  context: CommandContext<{ content_type: string }>,
  action: "start" | "stop",
): Promise<CommandResult> {
  const type = context.args["content_type"];
  await context.api.request({
    method: "POST",
    path: `${feedPath(context)}/${action}`,
    query: { contentType: type, PublisherIdentifier: publisher(context) },
  });
  return {
    readable: `Successfully ${action === "start" ? "started" : "stopped"} subscription to content type: ${type}`,
  };
}

/** `ms-management-activity-start-subscription`: POST …/subscriptions/start?contentType=…. */
export const startSubscription = (context: CommandContext<{ content_type: string }>) =>
  changeSubscription(context, "start");
/** `ms-management-activity-stop-subscription`: POST …/subscriptions/stop?contentType=…. */
export const stopSubscription = (context: CommandContext<{ content_type: string }>) =>
  changeSubscription(context, "stop");

/** The API's time format: ISO 8601 without milliseconds, in UTC. */
function apiTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "");
}

/** `ms-management-activity-list-content`: GET …/subscriptions/content?contentType=&startTime=&endTime=. */
export async function listContent(context: CommandContext): Promise<CommandResult> {
  const end = context.args["end_time"] ? new Date(context.args["end_time"]) : new Date();
  const start = context.args["start_time"]
    ? new Date(context.args["start_time"])
    : new Date(end.getTime() - 24 * 3600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new UsageError("start_time and end_time must be ISO 8601 times.");
  if (end.getTime() - start.getTime() > 24 * 3600_000 || end <= start) {
    throw new UsageError("The window from start_time to end_time must be positive and at most 24 hours.");
  }
  const content = await context.api.get<Array<Record<string, unknown>>>(
    `${feedPath(context)}/content`,
    {
      contentType: context.args["content_type"],
      startTime: apiTime(start),
      endTime: apiTime(end),
      PublisherIdentifier: publisher(context),
    },
    { expect: "array" },
  );
  const entries = content ?? [];
  return {
    readable: tableToMarkdown(`Content for ${context.args["content_type"]}`, entries, [
      "contentId",
      "contentCreated",
      "contentExpiration",
      "contentUri",
    ]),
    outputsPrefix: "MicrosoftManagement.Content",
    outputsKeyField: "contentId",
    outputs: entries,
    raw: content,
  };
}
