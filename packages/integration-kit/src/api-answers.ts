import { ApiError, type HttpResponse } from "@msint/auth-core";
import type { Expectation } from "./api-client.js";

// Reading an API's answer: the shape a command expects, or one error naming the status, content type and the
// client-request-id, never an empty table or a crash.

/** Who answers and who asked, as the messages name them. */
export interface AnswerContext {
  /** The service ("Microsoft Graph"). */
  service: string;
  /** The command ("msgraph-user-list"). */
  command: string;
  /** The API root: a redirect's target is named by its origin. */
  base: URL;
}

function wanted(context: AnswerContext, expected: Expectation): string {
  if (expected === "array") return `the JSON array ${context.command} expects`;
  if (expected === "collection")
    return `the JSON list (an object with a "value" array) ${context.command} expects`;
  return `the JSON object ${context.command} expects`;
}

function contentType(response: HttpResponse): string {
  return (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The line a user quotes to Microsoft support, as API errors end (see translateApiError). */
function support(clientRequestId: string): string {
  return `\nFor Microsoft support: client-request-id ${clientRequestId}.`;
}

function answered(
  context: AnswerContext,
  response: HttpResponse,
  what: string,
  expected: Expectation,
  clientRequestId: string,
): ApiError {
  return new ApiError(
    `${context.service} answered ${response.status} with ${what}, not ${wanted(context, expected)}.${support(clientRequestId)}`,
    { status: response.status, code: "unexpected_answer", clientRequestId },
  );
}

/** A 1xx or 3xx: never followed (a redirect could take the token to another host). */
export function notSuccess(
  context: AnswerContext,
  response: HttpResponse,
  expected: Expectation,
  clientRequestId: string,
): ApiError {
  const location = response.headers["location"];
  if (response.status >= 300 && response.status < 400) {
    let target = "";
    if (location) {
      try {
        target = ` to ${new URL(location, context.base).origin}`;
      } catch {
        target = " to an invalid location";
      }
    }
    return new ApiError(
      `${context.service} answered ${response.status} (a redirect${target}) instead of ${wanted(context, expected)}. msint does not follow redirects, so the instance's token never goes to another host: check Server URL (or Azure Cloud) and the proxy settings.${support(clientRequestId)}`,
      { status: response.status, code: "unexpected_redirect", clientRequestId },
    );
  }
  return answered(context, response, `no final answer`, expected, clientRequestId);
}

/** A successful answer's JSON, checked to be of the `expected` shape. */
export function readJson(
  context: AnswerContext,
  response: HttpResponse,
  expected: Expectation,
  clientRequestId: string,
): unknown {
  if (expected === "none") return undefined;
  const type = contentType(response);
  const fail = (what: string) => answered(context, response, what, expected, clientRequestId);
  const empty = response.status === 204 || response.body.trim() === "";
  if (empty) {
    if (expected === "optional-object") return undefined;
    throw fail(response.status === 204 ? "no content (204)" : `an empty body${type ? ` (${type})` : ""}`);
  }
  if (type !== "" && !/[/+]json$/.test(type) && type !== "text/json") {
    throw fail(`${type}${bodyTaste(response.body)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw fail(`a body that is not JSON (${type || "no content type"})${bodyTaste(response.body)}`);
  }
  const problem = shapeProblem(parsed, expected);
  if (problem !== undefined) throw fail(`${problem} (${type || "no content type"})`);
  return parsed;
}

/** A few words of a body that was not what was expected: enough to recognise a portal's page, never a dump. */
function bodyTaste(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return "";
  return ` (${text.length > 80 ? `${text.slice(0, 80)}…` : text})`;
}

/** "null", "an empty array", "a string"… for a JSON value that is not the expected shape. */
function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty JSON array" : "a JSON array";
  if (typeof value === "object") return "a JSON object";
  return `a JSON ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What is wrong with `value` for `expected`, or undefined when it fits. */
function shapeProblem(value: unknown, expected: Expectation): string | undefined {
  if (expected === "object" || expected === "optional-object") {
    return isRecord(value) ? undefined : describeJson(value);
  }
  if (expected === "array") {
    if (!Array.isArray(value)) return describeJson(value);
    const index = value.findIndex((item) => !isRecord(item));
    return index < 0 ? undefined : `a JSON array whose item ${index + 1} is ${describeJson(value[index])}`;
  }
  if (expected === "collection") {
    if (!isRecord(value)) return describeJson(value);
    const items = value["value"];
    if (!Array.isArray(items)) {
      return items === undefined
        ? 'a JSON object without a "value" array'
        : `a JSON object whose "value" is ${describeJson(items)}`;
    }
    const index = items.findIndex((item) => !isRecord(item));
    if (index >= 0) return `a "value" array whose item ${index + 1} is ${describeJson(items[index])}`;
    for (const link of ["nextLink", "@odata.nextLink"]) {
      const next = value[link];
      if (next !== undefined && next !== null && typeof next !== "string") {
        return `a "${link}" that is ${describeJson(next)}, not a URL`;
      }
    }
  }
  return undefined;
}
