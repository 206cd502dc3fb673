import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type RunningEmulator, startEmulator } from "../src/index.js";
import { clientCredentialsToken, GRAPH_SCOPE, graphGet, postToken } from "./helpers.js";

const form = {
  grant_type: "client_credentials",
  client_id: DEMO_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  scope: GRAPH_SCOPE,
};

describe("fault injection", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.faults.clear();
    emulator.clearRequests();
  });

  it("429 with Retry-After on the token endpoint, in Entra's dialect, then success", async () => {
    emulator.faults.inject({ match: "/oauth2/v2.0/token", status: 429, retryAfter: 7 });
    const throttled = await postToken(emulator, form);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect(throttled.body["error"]).toBe("temporarily_unavailable");
    expect(throttled.body["error_codes"]).toEqual([50196]);
    expect(throttled.body["error_description"]).toContain("\r\nTrace ID: ");
    const ok = await postToken(emulator, form);
    expect(ok.status).toBe(200);
    expect(emulator.tokenRequests().map((request) => [request.status, request.faulted ?? false])).toEqual([
      [429, true],
      [200, false],
    ]);
    expect(emulator.faults.pending()).toEqual([]);
  });

  it("counts down over several requests and only hits matching paths", async () => {
    const token = await clientCredentialsToken(emulator);
    emulator.faults.inject({ match: /^\/v1\.0\/users/, status: 503, count: 2, retryAfter: "1" });
    const tokenResponse = await postToken(emulator, form);
    expect(tokenResponse.status).toBe(200);
    expect(emulator.faults.pending()[0]?.remaining).toBe(2);
    const first = await graphGet(emulator, "/v1.0/users", token);
    const second = await graphGet(emulator, "/v1.0/users", token);
    const third = await graphGet(emulator, "/v1.0/users", token);
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect((first.body["error"] as Record<string, string>)["code"]).toBe("serviceNotAvailable");
    expect(first.headers.get("retry-after")).toBe("1");
  });

  it("429 on Graph uses Graph's TooManyRequests shape", async () => {
    const token = await clientCredentialsToken(emulator);
    emulator.faults.inject({ match: "/v1.0/", status: 429, retryAfter: 2 });
    const { status, headers, body } = await graphGet(emulator, "/v1.0/users", token);
    expect(status).toBe(429);
    expect(headers.get("retry-after")).toBe("2");
    const error = body["error"] as Record<string, unknown>;
    expect(error["code"]).toBe("TooManyRequests");
    expect(error["innerError"]).toHaveProperty("request-id");
  });

  it("500 on the token endpoint is an Entra server_error", async () => {
    emulator.faults.inject({ status: 500 });
    const { status, body } = await postToken(emulator, form);
    expect(status).toBe(500);
    expect(body["error"]).toBe("server_error");
  });

  it("delays, then answers normally", async () => {
    emulator.faults.inject({ match: "/oauth2/v2.0/token", delayMs: 150 });
    const started = performance.now();
    const { status } = await postToken(emulator, form);
    expect(status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("delays, then faults", async () => {
    emulator.faults.inject({ delayMs: 50, status: 503 });
    const { status, body } = await postToken(emulator, form);
    expect(status).toBe(503);
    expect(body["error"]).toBe("temporarily_unavailable");
  });

  it("sends a raw body when given", async () => {
    emulator.faults.inject({ status: 502, body: "<html>Bad gateway</html>" });
    const response = await fetch(`${emulator.url}/v1.0/users`);
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toBe("<html>Bad gateway</html>");
  });

  it("kind reset: headers and a few bytes, then the connection is destroyed; the next request is answered", async () => {
    emulator.faults.inject({ match: "/oauth2/v2.0/token", kind: "reset" });
    const broken = await postToken(emulator, form).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(broken).toBeInstanceOf(Error);
    expect((await postToken(emulator, form)).status).toBe(200);
    expect(emulator.tokenRequests().map((request) => request.faulted ?? false)).toEqual([true, false]);
  });

  it("kind truncate: the declared Content-Length is never reached", async () => {
    emulator.faults.inject({ match: "/oauth2/v2.0/token", kind: "truncate" });
    const { request } = await import("node:http");
    const outcome = await new Promise<string>((resolve) => {
      const body = new URLSearchParams(form).toString();
      const req = request(
        `${emulator.url}/common/oauth2/v2.0/token`,
        { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } },
        (res) => {
          let received = 0;
          res.on("data", (chunk: Buffer) => {
            received += chunk.length;
          });
          res.on("close", () =>
            resolve(
              `${res.complete ? "complete" : "incomplete"} ${received}/${res.headers["content-length"]}`,
            ),
          );
        },
      );
      req.on("error", (error) => resolve(`error ${error.message}`));
      req.end(body);
    });
    const [state, counts] = outcome.split(" ");
    expect(state).toBe("incomplete");
    const [received, declared] = counts!.split("/").map(Number);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(declared!);
  });

  it("kind hang: no answer until the client gives up; the emulator closes it on close()", async () => {
    emulator.faults.inject({ match: "/v1.0/users", kind: "hang" });
    const error = await fetch(`${emulator.url}/v1.0/users`, { signal: AbortSignal.timeout(200) }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe("TimeoutError");
    expect(emulator.requests[0]).toMatchObject({ path: "/v1.0/users", status: 0, faulted: true });

    const slow = await startEmulator();
    slow.faults.inject({ kind: "hang" });
    const pending = fetch(`${slow.url}/v1.0/users`).catch((thrown: unknown) => thrown);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await slow.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("kind garbage: 200 with an HTML page, or the given status and body", async () => {
    emulator.faults.inject({ match: "/oauth2/v2.0/token", kind: "garbage" });
    const page = await fetch(`${emulator.url}/common/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams(form),
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toMatch(/^<!DOCTYPE html>/);

    emulator.faults.inject({ kind: "garbage", status: 502, body: "\u0000\u0001 not json" });
    const raw = await fetch(`${emulator.url}/v1.0/users`);
    expect(raw.status).toBe(502);
    expect(await raw.text()).toBe("\u0000\u0001 not json");
  });

  it("headers: a redirect's location, and a body's content-type replacing the emulator's", async () => {
    emulator.faults.inject({
      match: "/v1.0/users",
      status: 302,
      body: "",
      headers: { Location: "https://x.invalid/" },
    });
    const redirect = await fetch(`${emulator.url}/v1.0/users`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://x.invalid/");

    emulator.faults.inject({ status: 200, body: '{"value":[]}', headers: { "Content-Type": "text/html" } });
    const page = await fetch(`${emulator.url}/v1.0/users`);
    expect(page.headers.get("content-type")).toBe("text/html");
    expect(await page.text()).toBe('{"value":[]}');
  });

  it("retryAfter as a Date is sent as an HTTP date", async () => {
    const when = new Date(Date.UTC(2031, 0, 2, 3, 4, 5));
    emulator.faults.inject({ match: "/oauth2/v2.0/token", status: 503, retryAfter: when });
    when.setUTCFullYear(2040); // the fault keeps its own copy
    const { status, headers } = await postToken(emulator, form);
    expect(status).toBe(503);
    expect(headers.get("retry-after")).toBe("Thu, 02 Jan 2031 03:04:05 GMT");
  });

  it("refuses meaningless faults", () => {
    expect(() => emulator.faults.inject({ kind: "explode" as never })).toThrow(/fault.kind must be one of/);
    expect(() => emulator.faults.inject({ retryAfter: new Date(Number.NaN), status: 503 })).toThrow(
      /invalid Date/,
    );
    expect(() => emulator.faults.inject({ match: "/x" })).toThrow(/status, a delayMs or a body/);
    expect(() => emulator.faults.inject({ status: 42 })).toThrow(/HTTP status/);
    expect(() => emulator.faults.inject({ status: 500, count: 0 })).toThrow(/positive integer/);
  });

  it("close() does not wait for a pending delay", async () => {
    const slow = await startEmulator();
    slow.faults.inject({ delayMs: 60_000 });
    const pending = fetch(`${slow.url}/v1.0/users`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await slow.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
