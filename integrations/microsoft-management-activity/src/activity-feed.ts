import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { recordFilter } from "./records.js";

/**
 * The tenant whose feed the instance reads: the `tid` claim of its access token (the tenant it signed in to), as
 * XSOAR reads it; the API's paths name it (learn.microsoft.com/office/office-365-management-api/
 * office-365-management-activity-api-reference: `/api/v1.0/{tenant_id}/activity/feed/…`).
 */
async function tenantOf(context: CommandContext): Promise<string> {
  const claims = await context.accessTokenClaims?.();
  const tid = claims?.["tid"];
  if (typeof tid !== "string" || tid === "") {
    throw new UsageError(
      "The access token names no tenant (no tid claim), so the audit feed's tenant is unknown. Sign in again (ms-management-activity-auth-reset) with an account or application of the tenant whose audit logs you read.",
    );
  }
  return tid;
}

async function feedPath(context: CommandContext): Promise<string> {
  return `/api/v1.0/${encodeURIComponent(await tenantOf(context))}/activity/feed/subscriptions`;
}

/** PublisherIdentifier: the instance's Publisher Identifier, else the signed-in tenant. */
async function publisher(context: CommandContext): Promise<string> {
  const value = context.params["publisher_identifier"];
  return typeof value === "string" && value !== "" ? value : tenantOf(context);
}

/** XSOAR's `timeout` (seconds): fails clearly when the API has not answered by then (the request is not cancelled). */
async function withTimeout<T>(context: CommandContext, work: Promise<T>): Promise<T> {
  const raw = context.args["timeout"];
  if (!raw) return work;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`timeout must be a positive number of seconds (got "${raw}").`);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UsageError(`The Management Activity API did not answer within ${seconds} seconds.`)),
      seconds * 1000,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `-test`: lists the tenant's subscriptions (a cheap read the feed's every caller may make). */
export async function testFeed(context: CommandContext): Promise<void> {
  await context.api.get(
    `${await feedPath(context)}/list`,
    { PublisherIdentifier: await publisher(context) },
    { expect: "array" },
  );
}

/** `ms-management-activity-list-subscriptions`: GET /api/v1.0/{tenant}/activity/feed/subscriptions/list. */
export async function listSubscriptions(context: CommandContext): Promise<CommandResult> {
  const subscriptions = await context.api.get<
    Array<{ contentType?: string; status?: string; webhook?: unknown }>
  >(
    `${await feedPath(context)}/list`,
    { PublisherIdentifier: await publisher(context) },
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
    path: `${await feedPath(context)}/${action}`,
    query: { contentType: type, PublisherIdentifier: await publisher(context) },
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

function windowOf(context: CommandContext): { start: Date; end: Date } {
  const end = context.args["end_time"] ? new Date(context.args["end_time"]) : new Date();
  const start = context.args["start_time"]
    ? new Date(context.args["start_time"])
    : new Date(end.getTime() - 24 * 3600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new UsageError("start_time and end_time must be ISO 8601 times.");
  if (end.getTime() - start.getTime() > 24 * 3600_000 || end <= start) {
    throw new UsageError("The window from start_time to end_time must be positive and at most 24 hours.");
  }
  return { start, end };
}

/** The record with XSOAR's context field names (ID, OrganizationID, ObjectID, UserID, ResultsStatus). */
function contextRecord(record: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, string> = {
    Id: "ID",
    OrganizationId: "OrganizationID",
    ObjectId: "ObjectID",
    UserId: "UserID",
    ResultStatus: "ResultsStatus",
  };
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [renamed[key] ?? key, value]));
}

/**
 * `ms-management-activity-list-content`: GET …/subscriptions/content?contentType=&startTime=&endTime=, then each
 * blob at its contentUri (Retrieving content); the audit records, filtered by record type, workload, operation.
 */
export async function listContent(context: CommandContext): Promise<CommandResult> {
  const { start, end } = windowOf(context);
  const keep = recordFilter(context.args);
  const blobs = await withTimeout(
    context,
    context.api.get<Array<{ contentUri?: string }>>(
      `${await feedPath(context)}/content`,
      {
        contentType: context.args["content_type"],
        startTime: apiTime(start),
        endTime: apiTime(end),
        PublisherIdentifier: await publisher(context),
      },
      { expect: "array" },
    ),
  );
  const records: Record<string, unknown>[] = [];
  for (const blob of blobs ?? []) {
    if (!blob.contentUri) continue;
    const uri = new URL(blob.contentUri);
    const content = await withTimeout(
      context,
      context.api.get<Record<string, unknown>[]>(
        uri.pathname,
        { ...Object.fromEntries(uri.searchParams), PublisherIdentifier: await publisher(context) },
        { expect: "array" },
      ),
    );
    records.push(...(content ?? []).filter(keep).map(contextRecord));
  }
  return {
    readable: tableToMarkdown(`Content for content type ${context.args["content_type"]}`, records, [
      "ID",
      "CreationTime",
      "Workload",
      "Operation",
      "UserID",
      "ClientIP",
    ]),
    outputsPrefix: "MicrosoftManagement.ContentRecord",
    outputsKeyField: "ID",
    outputs: records,
    raw: records,
  };
}
