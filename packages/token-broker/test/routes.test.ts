import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrokerConfigInput, parseBrokerConfig, type RunningBroker, startBroker } from "../src/index.js";
import { findRoute } from "../src/router.js";
import { BROKER_ROUTES } from "../src/routes/table.js";

// The route table of the broker: which method and path reach which route module, which get 405 with Allow,
// which get the 404 page. The answers are those the broker gave before the routes were split into modules
// (docs/token-broker.md documents only `GET /healthz` and `POST /obtain-token`; the pages are the rest).

const CLIENT_ID = "7f1e3d5c-2b4a-4968-8a7c-5e3d1b9f7d5b";
const env = { APP_SECRET: "route-table-secret", MSINT_BROKER_MASTER_KEY: randomBytes(32).toString("base64") };
const input: BrokerConfigInput = {
  apps: {
    "ms-graph-user": { clientId: CLIENT_ID, clientSecret: "env:APP_SECRET", permissions: "application" },
    "ms-graph-mail-listener": {
      clientId: CLIENT_ID,
      clientSecret: "env:APP_SECRET",
      permissions: "delegated",
      scopes: ["https://graph.microsoft.com/Mail.Read"],
    },
  },
};
const { apps } = parseBrokerConfig(input, { env, baseDir: process.cwd() });

function route(method: string, path: string): string {
  const found = findRoute(BROKER_ROUTES, apps, method, path);
  if (found.kind === "route") return found.route.name;
  if (found.kind === "method_not_allowed") return `405 Allow: ${found.allow}`;
  return "404";
}

describe("the route table", () => {
  it("sends each method and path to its route", () => {
    expect(route("POST", "/obtain-token")).toBe("POST /obtain-token");
    expect(route("GET", "/healthz")).toBe("GET /healthz");
    expect(route("HEAD", "/healthz")).toBe("GET /healthz");
    expect(route("GET", "/")).toBe("GET /");
    expect(route("GET", "/callback")).toBe("GET /callback");
    expect(route("POST", "/ms-graph-user/start")).toBe("POST /<app>/start");
    expect(route("POST", "/ms-graph-mail-listener/start/")).toBe("POST /<app>/start");
    expect(route("GET", "/ms-graph-user")).toBe("GET /<app>");
    expect(route("HEAD", "/ms-graph-user/")).toBe("GET /<app>");
  });

  it("answers another method on a served path with 405 and the methods it takes", () => {
    expect(route("GET", "/obtain-token")).toBe("405 Allow: POST");
    expect(route("PUT", "/healthz")).toBe("405 Allow: GET, HEAD");
    expect(route("DELETE", "/")).toBe("405 Allow: GET, HEAD");
    expect(route("POST", "/callback")).toBe("405 Allow: GET");
    expect(route("GET", "/ms-graph-user/start")).toBe("405 Allow: POST");
    expect(route("POST", "/ms-graph-user")).toBe("405 Allow: GET, HEAD");
  });

  it("does not serve unknown paths or apps that are not configured, whatever the method", () => {
    expect(route("GET", "/no-such-app")).toBe("404");
    expect(route("POST", "/no-such-app/start")).toBe("404");
    expect(route("POST", "/obtain-token/")).toBe("404");
    expect(route("GET", "/ms-graph-user/start/more")).toBe("404");
    expect(route("GET", "/MS-GRAPH-USER")).toBe("404");
    expect(route("GET", "/healthz/")).toBe("404");
  });
});

describe("the route table on the wire", () => {
  let broker: RunningBroker;
  let dataDir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "msint-broker-routes-"));
    broker = await startBroker({ config: input, env, dataDir, log: (line) => logs.push(line) });
  }, 120_000);

  afterAll(async () => {
    await broker?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("405 carries Allow and the security headers; 404 is the HTML page; HEAD has no body", async () => {
    const put = await fetch(`${broker.url}/healthz`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD");
    expect(put.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await put.text()).toBe("Method Not Allowed");

    const startByGet = await fetch(`${broker.url}/ms-graph-user/start`);
    expect(startByGet.status).toBe(405);
    expect(startByGet.headers.get("allow")).toBe("POST");
    await startByGet.text();

    const unknown = await fetch(`${broker.url}/no-such-app/start`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await unknown.text()).toContain("This broker serves no such page.");

    const health = await fetch(`${broker.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await health.json()).toEqual({ status: "ok" });

    const head = await fetch(`${broker.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(logs.join("\n")).not.toContain("request failed");
    expect(logs.join("\n")).not.toContain(env.APP_SECRET);
  });
});
