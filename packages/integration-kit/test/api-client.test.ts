/**
 * The API client checks every successful answer against the shape the command declares (`expect`), and never
 * follows a redirect. The answers here are what a misrouted proxy, a captive portal or a hostile host sends.
 */
import { ApiError, type HttpRequest, type HttpResponse, type Transport } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import { collectPages, createApiClient, type Expectation, tableToMarkdown } from "../src/index.js";

function client(answers: Array<Partial<HttpResponse>>) {
  const requests: HttpRequest[] = [];
  const transport: Transport = {
    request: async (request) => {
      requests.push(request);
      const answer = answers.shift() ?? {};
      return {
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8" },
        body: "",
        url: request.url,
        ...answer,
      };
    },
  };
  const api = createApiClient({
    baseUrl: "https://graph.microsoft.com",
    transport,
    authorize: async () => ({ headers: { authorization: "Bearer t" }, fromCache: false }),
    commandPrefix: "msgraph-user",
    serviceName: "Microsoft Graph",
    commandName: "msgraph-user-list",
  });
  return { api, requests };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const LIST = 'not the JSON list (an object with a "value" array) msgraph-user-list expects.';

describe("answers checked against what the command expects", () => {
  const cases: Array<[string, Partial<HttpResponse>, Expectation, string]> = [
    [
      "null for an object",
      { body: "null" },
      "object",
      "answered 200 with null (application/json), not the JSON object msgraph-user-list expects.",
    ],
    [
      "[] for an object",
      { body: "[]" },
      "object",
      "answered 200 with an empty JSON array (application/json)",
    ],
    [
      "a string for a list",
      { body: '"x"' },
      "collection",
      `answered 200 with a JSON string (application/json), ${LIST}`,
    ],
    ["{} for a list", { body: "{}" }, "collection", 'with a JSON object without a "value" array'],
    ["value: null", { body: '{"value":null}' }, "collection", 'whose "value" is null'],
    [
      "value of numbers",
      { body: '{"value":[1]}' },
      "collection",
      'a "value" array whose item 1 is a JSON number',
    ],
    [
      "an object for an array",
      { body: "{}" },
      "array",
      "with a JSON object (application/json), not the JSON array msgraph-user-list expects.",
    ],
    ["an array of strings", { body: '["a"]' }, "array", "a JSON array whose item 1 is a JSON string"],
    ["204 for an object", { status: 204 }, "object", "answered 204 with no content (204)"],
    [
      "an empty 200 for a list",
      { body: "  " },
      "collection",
      "answered 200 with an empty body (application/json)",
    ],
    [
      "text/html",
      { headers: { "content-type": "text/html" }, body: "<p>Sign in</p>" },
      "object",
      "answered 200 with text/html (Sign in), not the JSON object",
    ],
    [
      "no content type, not JSON",
      { headers: {}, body: "ok" },
      "object",
      "a body that is not JSON (no content type) (ok)",
    ],
    [
      "a 302 to another host",
      { status: 302, headers: { location: "https://evil.example/x" } },
      "object",
      "answered 302 (a redirect to https://evil.example) instead of the JSON object",
    ],
    [
      "a 301 with a bad location",
      { status: 301, headers: { location: "http://[" } },
      "collection",
      "(a redirect to an invalid location)",
    ],
    ["a 304", { status: 304, headers: {} }, "optional-object", "answered 304 (a redirect) instead of"],
    ["an array for optional-object", { body: "[]" }, "optional-object", "with an empty JSON array"],
  ];
  it.each(cases)("%s", async (_label, answer, expected, message) => {
    const { api, requests } = client([answer]);
    const error = await failure(api.request({ path: "/v1.0/users", expect: expected }));
    expect(error.message).toContain(message);
    expect(error.message.startsWith("Microsoft Graph answered")).toBe(true);
    expect(requests).toHaveLength(1); // never retried, never followed
  });

  it("passes what fits, and reads nothing for optional-object and none", async () => {
    const { api } = client([
      { body: '{"id":"1"}' },
      {
        body: '{"value":[{"id":"1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x"}',
      },
      { body: '[{"a":1}]' },
      { status: 204 },
      { status: 202, body: "" },
      { status: 200, headers: { "content-type": "text/html" }, body: "<p>whatever</p>" },
      { headers: { "content-type": "application/json;odata=nometadata" }, body: '{"value":[]}' },
    ]);
    expect(await api.get("/v1.0/users/1")).toEqual({ id: "1" });
    expect(
      (await api.get<{ value: unknown[] }>("/v1.0/users", {}, { expect: "collection" })).value,
    ).toHaveLength(1);
    expect(await api.get("/x", {}, { expect: "array" })).toEqual([{ a: 1 }]);
    expect(await api.request({ method: "PATCH", path: "/v1.0/users/1", body: {} })).toBeUndefined();
    expect(await api.request({ method: "POST", path: "/x" })).toBeUndefined();
    expect(await api.request({ method: "DELETE", path: "/x", expect: "none" })).toBeUndefined();
    expect(await api.request({ path: "/Tables", expect: "collection" })).toEqual({ value: [] });
  });

  it("GET defaults to a JSON object; other methods to nothing or an object", async () => {
    const { api } = client([{ body: "[]" }, { body: "[]" }]);
    await expect(api.get("/v1.0/me")).rejects.toThrow("not the JSON object");
    await expect(api.request({ method: "POST", path: "/v1.0/x" })).rejects.toThrow("not the JSON object");
  });

  it("a redirect of a text (XML) request is refused too", async () => {
    const { api } = client([{ status: 302, headers: { location: "https://other.example/" } }]);
    await expect(api.getText("/container?restype=container")).rejects.toThrow(
      "answered 302 (a redirect to https://other.example)",
    );
  });

  it("collectPages checks every page", async () => {
    const { api } = client([
      { body: '{"value":[{"id":"1"}],"nextLink":"https://graph.microsoft.com/page2"}' },
      { body: "null" },
    ]);
    await expect(collectPages(api, "/v1.0/users", {})).rejects.toThrow(
      `Microsoft Graph answered 200 with null (application/json), ${LIST}`,
    );
  });
});

describe("tableToMarkdown with hostile data", () => {
  it("keeps one cell per value: pipes escaped, CR, LF, CRLF and U+2028 as <br>", () => {
    const markdown = tableToMarkdown("Users", [{ name: "a|b\rc\r\nd\ne\u2028f" }]);
    expect(markdown.split("\n").filter((line) => line.startsWith("|"))).toEqual([
      "|name|",
      "|---|",
      "|a\\|b<br>c<br>d<br>e<br>f|",
    ]);
  });

  it("a row that is not an object is one Value cell, never a column per character", () => {
    expect(tableToMarkdown("T", ["abc"] as never)).toBe("### T\n|Value|\n|---|\n|abc|\n");
  });

  it("a title stays one line", () => {
    expect(tableToMarkdown("Team\n|x|\n", [])).toBe("### Team |x| \n**No entries.**\n");
  });
});
