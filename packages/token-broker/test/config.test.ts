import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrokerAppConfigInput,
  BrokerConfigError,
  loadBrokerConfigFile,
  parseBrokerConfig,
  startBroker,
} from "../src/index.js";

const CLIENT_ID = "7f1e3d5c-2b4a-4968-8a7c-5e3d1b9f7d5b";
const env = { APP_SECRET: "s3cret-value" };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "msint-broker-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function app(overrides: Record<string, unknown> = {}): BrokerAppConfigInput {
  return {
    clientId: CLIENT_ID,
    clientSecret: "env:APP_SECRET",
    permissions: "application",
    ...overrides,
  } as BrokerAppConfigInput;
}

function parse(input: unknown, environment: Record<string, string | undefined> = env) {
  return parseBrokerConfig(input, { env: environment, baseDir: dir });
}

function fieldOf(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BrokerConfigError);
    return { field: (error as BrokerConfigError).field, message: (error as Error).message };
  }
  throw new Error("expected a BrokerConfigError");
}

describe("broker configuration", () => {
  it("resolves env: and file: secrets and applies the defaults (Worldwide, organizations, 30/min)", async () => {
    await writeFile(join(dir, "secret.txt"), "from-a-file\n");
    const config = parse({
      apps: {
        "ms-graph-user": app(),
        "ms-graph-mail-listener": app({
          clientSecret: "file:secret.txt",
          permissions: "delegated",
          scopes: ["https://graph.microsoft.com/Mail.Read", "offline_access"],
        }),
      },
    });
    expect(config.loginHost).toBe("https://login.microsoftonline.com");
    expect(config.tenant).toBe("organizations");
    expect(config.rateLimitPerMinute).toBe(30);
    const user = config.apps.get("ms-graph-user")!;
    expect(user.credential).toEqual({ kind: "secret", clientSecret: "s3cret-value" });
    expect(user.scopes).toEqual(["https://graph.microsoft.com/.default"]);
    const mail = config.apps.get("ms-graph-mail-listener")!;
    expect(mail.credential).toEqual({ kind: "secret", clientSecret: "from-a-file" });
    expect(mail.scopes).toEqual(["https://graph.microsoft.com/Mail.Read"]);
  });

  it("uses the chosen national cloud, or a login host such as an emulator", () => {
    const gov = parse({ cloud: "US GCC-High", apps: { "ms-graph-user": app() } });
    expect(gov.loginHost).toBe("https://login.microsoftonline.us");
    expect(gov.apps.get("ms-graph-user")!.scopes).toEqual(["https://graph.microsoft.us/.default"]);
    expect(parse({ loginHost: "http://127.0.0.1:8400", apps: { a: app() } }).loginHost).toBe(
      "http://127.0.0.1:8400",
    );
  });

  it.each([
    [
      { apps: { "ms-graph-user": app() } },
      {},
      "apps.ms-graph-user.clientSecret",
      "environment variable APP_SECRET, which is not set",
    ],
    [
      { apps: { "ms-graph-user": app({ clientSecret: "literal" }) } },
      env,
      "apps.ms-graph-user.clientSecret",
      "must be a reference",
    ],
    [
      { apps: { "ms-graph-user": app({ clientSecret: undefined }) } },
      env,
      "apps.ms-graph-user.clientSecret",
      "or certificate must be set",
    ],
    [{ apps: { "ms-graph-user": app({ clientId: "abc" }) } }, env, "apps.ms-graph-user.clientId", "a GUID"],
    [
      { apps: { "ms-graph-user": app({ permissions: "both" }) } },
      env,
      "apps.ms-graph-user.permissions",
      '"application"',
    ],
    [
      { apps: { "ms-graph-user": app({ permissions: "delegated" }) } },
      env,
      "apps.ms-graph-user.scopes",
      "delegated scopes",
    ],
    [
      { apps: { "ms-graph-user": app({ scopes: ["https://graph.microsoft.com/User.Read"] }) } },
      env,
      "apps.ms-graph-user.scopes",
      "/.default",
    ],
    [{ apps: { "MS Graph": app() } }, env, "apps.MS Graph", "not a valid app name"],
    [{ apps: { callback: app() } }, env, "apps.callback", "not a valid app name"],
    [{ apps: {} }, env, "apps", "at least one app"],
    [{ apps: { a: app() }, publicUrl: "http://broker.example.com" }, env, "publicUrl", "plain http"],
    [{ apps: { a: app() }, cloud: "Mars" }, env, "cloud", "not a known cloud"],
    [{ apps: { a: app() }, rateLimit: { perMinute: 0 } }, env, "rateLimit.perMinute", "whole number"],
    [{ apps: { a: app({ secret: "x" }) } }, env, "apps.a.secret", "not a known setting"],
    [{ apps: { a: app() }, port: 1 }, env, "port", "not a known setting"],
  ])("names the field at fault: %j", (input, environment, field, text) => {
    const error = fieldOf(() => parse(input, environment));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`Broker configuration: ${field}`);
    expect(error.message).toContain(text);
  });

  it("never puts a secret's value into an error", () => {
    const error = fieldOf(() => parse({ apps: { a: app({ permissions: "nope" }) } }));
    expect(error.message).not.toContain("s3cret-value");
  });

  it("reads a JSON file, with paths relative to it", async () => {
    const file = join(dir, "broker.json");
    await writeFile(file, JSON.stringify({ dataDir: "data", apps: { "ms-graph-user": app() } }));
    const config = loadBrokerConfigFile(file, env);
    expect(config.dataDir).toBe(join(dir, "data"));
    await writeFile(file, "{ not json");
    expect(() => loadBrokerConfigFile(file, env)).toThrow(/Broker configuration: file .* is not valid JSON/);
  });

  it("trustedProxy is off by default; set, it names a header and a number of hops", () => {
    expect(parse({ apps: { a: app() } }).trustedProxy).toBeUndefined();
    expect(parse({ apps: { a: app() }, trustedProxy: { header: "X-Forwarded-For" } }).trustedProxy).toEqual({
      header: "x-forwarded-for",
      hops: 1,
    });
    expect(
      parse({ apps: { a: app() }, trustedProxy: { header: "x-real-ip", hops: 2 } }).trustedProxy,
    ).toEqual({
      header: "x-real-ip",
      hops: 2,
    });
    const cases: Array<[unknown, string, RegExp]> = [
      ["x-forwarded-for", "trustedProxy", /must be an object \{ header, hops \}/],
      [{ hops: 1 }, "trustedProxy.header", /must be the name of the header/],
      [{ header: "x forwarded" }, "trustedProxy.header", /must be the name of the header/],
      [{ header: "host" }, "trustedProxy.header", /cannot be host/],
      [{ header: "x-forwarded-for", hops: 0 }, "trustedProxy.hops", /whole number from 1 to 10, not 0/],
      [{ header: "x-forwarded-for", hops: 1.5 }, "trustedProxy.hops", /not 1\.5/],
      [{ header: "x-forwarded-for", trust: "all" }, "trustedProxy.trust", /is not a known setting/],
    ];
    for (const [value, field, message] of cases) {
      const problem = fieldOf(() => parse({ apps: { a: app() }, trustedProxy: value }));
      expect(problem.field).toBe(field);
      expect(problem.message).toMatch(message);
    }
  });

  it("requires publicUrl to listen beyond loopback (it never guesses from forwarded headers)", async () => {
    await expect(
      startBroker({ host: "0.0.0.0", config: { apps: { a: app() } }, env, dataDir: join(dir, "never") }),
    ).rejects.toThrow(/Broker configuration: publicUrl must be set when the broker listens on 0\.0\.0\.0/);
  });
});
