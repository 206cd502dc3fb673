/**
 * Servers are not trusted, and neither is their text. `msint` runs as a separate process against the loopback
 * emulator, whose faults make Microsoft Graph, the token endpoint, the broker and the managed identity endpoint
 * answer what a misrouted proxy, a captive portal or a hostile host would: `null`, `[]`, a string, an empty body,
 * 204, a redirect to another host, a web page, a body over the cap, a token answer without a token or with a
 * lifetime of 0. Each is exit 1 and one clear message naming the status and the content type (or the limit and
 * the host). Text with ESC/CSI/OSC, BEL, C1 and bidi controls — in a user's displayName, an error_description,
 * an API error body, a device-code message — is printed neutralised in markdown, --json and error output: the
 * raw bytes of stdout and stderr are checked.
 */

import {
  DEMO_BROKER_KEY,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  demoSeed,
  type FaultSpec,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addInstance } from "../../src/instances.js";
import {
  type CliRun,
  expectOneMessage,
  GRAPH_USER_SCOPES,
  msint,
  openHome,
  recordCount,
  removeTemporaries,
  requestsTo,
  TOKEN_PATH,
  temporaryDir,
  USERS_PATH,
} from "./harness.js";

const BROKER_APP_ID = "5d0e2d3c-4b5a-4697-8877-665544332299";
const HOSTILE_USER_ID = "6e7b768e-07e2-4810-8459-485f84f8f204";
/** ESC CSI clear-screen, an OSC window title ended by BEL, a C1 CSI (U+009B), RLO and an isolate. */
const HOSTILE = "Adele\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202eevil\u2066x\u2069\u007f";
const HOSTILE_CELL = "Retail|Manager\nSecond|line\r\nthird";

/** Every character that must never reach a terminal raw (tab and newline are allowed). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  const seed = structuredClone(demoSeed);
  const tenant = seed.tenants[0]!;
  const adele = tenant.users!.find((user) => user.id === HOSTILE_USER_ID)!;
  adele.displayName = HOSTILE;
  adele.jobTitle = HOSTILE_CELL;
  seed.brokerRegistrations = [
    ...(seed.brokerRegistrations ?? []),
    {
      id: BROKER_APP_ID,
      appName: "ms-graph-user",
      key: DEMO_BROKER_KEY,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "application",
    },
  ];
  emulator = await startEmulator({ port: 0, seed });
  home = await temporaryDir();
  const url = emulator.url;
  const custom = ["azure_cloud=Custom", `azure_ad_endpoint=${url}`, `server_url=${url}`];
  const store = await openHome(home);
  const instances: Record<string, [string, string[]]> = {
    secret: [
      "msgraph-user",
      ["self_deployed=true", `tenant_id=${DEMO_TENANT_ID}`, `auth_id=${DEMO_CLIENT_ID}`, "enc_key=env:S"],
    ],
    code: [
      "msgraph-user",
      [
        "self_deployed=true",
        "auth_type=Authorization Code",
        `tenant_id=${DEMO_TENANT_ID}`,
        `auth_id=${DEMO_CLIENT_ID}`,
        "enc_key=env:S",
        "redirect_uri=http://localhost:8400/callback",
      ],
    ],
    broker: [
      "msgraph-user",
      [
        `auth_id=${BROKER_APP_ID}@${url}/obtain-token`,
        `tenant_id=${DEMO_TENANT_ID}`,
        `enc_key=${DEMO_BROKER_KEY}`,
      ],
    ],
    identity: ["msgraph-user", ["use_managed_identities=true"]],
    // A redirected URL pasted as the code: its error_description is a callback's text (ESC ] 0 ; BEL, C1 CSI).
    declined: [
      "msgraph-user",
      [
        "self_deployed=true",
        "auth_type=Authorization Code",
        `tenant_id=${DEMO_TENANT_ID}`,
        `auth_id=${DEMO_CLIENT_ID}`,
        "enc_key=env:S",
        "redirect_uri=http://localhost:8400/callback",
        "auth_code=http://localhost:8400/callback?error=access_denied&error_description=AADSTS65004%3A+declined%1B%5D0%3Bpwned%07%C2%9B2J%E2%80%AE",
      ],
    ],
    device: [
      "microsoft-graph-api",
      [
        "self_deployed=true",
        "auth_type=Device Code",
        `auth_id=${DEMO_PUBLIC_CLIENT_ID}`,
        `tenant_id=${DEMO_TENANT_ID}`,
      ],
    ],
  };
  for (const [name, [integration, params]] of Object.entries(instances)) {
    await addInstance(store, name, integration, [...params, ...custom]);
  }
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await removeTemporaries();
});

/** No faults, no cached token; the authorization-code instance holds a fresh refresh token. */
beforeEach(async () => {
  emulator.faults.clear();
  const refreshToken = emulator.issueRefreshToken({
    tenantId: DEMO_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    userId: "adelev@contoso.onmicrosoft.com",
    scopes: [...GRAPH_USER_SCOPES],
  });
  const store = await openHome(home);
  for (const name of await store.list()) {
    await store.update(name, (document) =>
      document
        ? {
            ...document,
            context: name === "code" ? { refreshToken } : {},
            params:
              name === "code"
                ? { ...document.params, auth_code: `refresh_token:${refreshToken}` }
                : document.params,
          }
        : document,
    );
  }
  emulator.clearRequests();
});

function run(instance: string, words: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const [command, ...args] = words;
  return msint(["run", command!, ...args, "--instance", instance], {
    MSINT_HOME: home,
    S: DEMO_CLIENT_SECRET,
    AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.url,
    MSINT_HTTP_TIMEOUT_MS: "2000",
    ...env,
  });
}

/** Nothing in either stream could steer a terminal: checked on the bytes as written. */
function expectInert(result: CliRun): void {
  for (const [stream, text] of [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
  ] as const) {
    const bytes = Buffer.from(text, "utf8");
    expect(bytes.includes(0x1b), `${stream} holds no ESC byte`).toBe(false);
    expect(bytes.includes(0x07), `${stream} holds no BEL byte`).toBe(false);
    expect(bytes.includes(0x0d), `${stream} holds no CR byte`).toBe(false);
    // C1 controls are two bytes in UTF-8 (C2 80 … C2 9F); bidi overrides are E2 80 AA … E2 80 AE, E2 81 A6 … A9.
    expect(/\u00c2[\u0080-\u009f]/.test(bytes.toString("latin1")), `${stream} holds no C1 control`).toBe(
      false,
    );
    expect(text, `${stream} holds no control character`).not.toMatch(RAW_CONTROL);
  }
}

const json = (value: unknown) => JSON.stringify(value);
const FOREVER = Number.POSITIVE_INFINITY;

interface AnswerCase {
  label: string;
  instance?: string;
  command?: string[];
  faults: FaultSpec[];
  env?: Record<string, string>;
  message: RegExp;
  /** Requests the emulator saw on `path` (the bad answer is never retried). */
  path?: RegExp;
  attempts?: number;
}

const LIST = ["msgraph-user-list", "limit=1"];
const GET = ["msgraph-user-get", `user=${HOSTILE_USER_ID}`];
const users = (fault: Omit<FaultSpec, "match">): FaultSpec => ({ match: "/v1.0/users", ...fault });
const token = (fault: Omit<FaultSpec, "match">): FaultSpec => ({ match: "/oauth2/v2.0/token", ...fault });

/** API answers of the wrong shape: one message naming the status and the content type. */
const API_ANSWERS: AnswerCase[] = [
  {
    label: "Graph list: 200 null",
    faults: [users({ status: 200, body: "null" })],
    message: /^Error: Microsoft Graph answered 200 with null \(application\/json\), not the JSON list/,
  },
  {
    label: "Graph list: 200 []",
    faults: [users({ status: 200, body: "[]" })],
    message: /Microsoft Graph answered 200 with an empty JSON array \(application\/json\)/,
  },
  {
    label: 'Graph list: 200 "a string"',
    faults: [users({ status: 200, body: json("a string") })],
    message: /Microsoft Graph answered 200 with a JSON string \(application\/json\)/,
  },
  {
    label: "Graph list: 200 with an empty body",
    faults: [users({ status: 200, body: "", headers: { "content-type": "application/json" } })],
    message: /Microsoft Graph answered 200 with an empty body \(application\/json\)/,
  },
  {
    label: "Graph list: 204 No Content",
    faults: [users({ status: 204, body: "" })],
    message: /Microsoft Graph answered 204 with no content \(204\)/,
  },
  {
    label: "Graph list: 302 to another host (not followed, the token stays here)",
    faults: [users({ status: 302, body: "", headers: { location: "https://collector.invalid/steal?x=1" } })],
    message:
      /Microsoft Graph answered 302 \(a redirect to https:\/\/collector\.invalid\) instead of the JSON list .*msint does not follow redirects/,
  },
  {
    label: "Graph list: 307 without a Location",
    faults: [users({ status: 307, body: "" })],
    message: /Microsoft Graph answered 307 \(a redirect\) instead of the JSON list/,
  },
  {
    label: "Graph list: 200 text/html (a captive portal)",
    faults: [users({ kind: "garbage" })],
    message:
      /^Error: Microsoft Graph answered 200 with text\/html \(Service Welcome Please sign in to the network\.\), not the JSON list/,
  },
  {
    label: "Graph list: JSON sent as text/plain",
    faults: [users({ status: 200, body: json({ value: [] }), headers: { "content-type": "text/plain" } })],
    message: /Microsoft Graph answered 200 with text\/plain \(\{"value":\[\]\}\), not the JSON list/,
  },
  {
    label: "Graph list: application/json that is not JSON",
    faults: [users({ status: 200, body: "{value:", headers: { "content-type": "application/json" } })],
    message: /Microsoft Graph answered 200 with a body that is not JSON \(application\/json\) \(\{value:\)/,
  },
  {
    label: "Graph list: an object without value",
    faults: [users({ status: 200, body: json({ "@odata.context": "x" }) })],
    message: /answered 200 with a JSON object without a "value" array \(application\/json\)/,
  },
  {
    label: "Graph list: value is a string (never a table of characters)",
    faults: [users({ status: 200, body: json({ value: "abc" }) })],
    message: /answered 200 with a JSON object whose "value" is a JSON string/,
  },
  {
    label: "Graph list: value holds strings",
    faults: [users({ status: 200, body: json({ value: ["a", "b"] }) })],
    message: /answered 200 with a "value" array whose item 1 is a JSON string/,
  },
  {
    label: "Graph list: value holds null",
    faults: [users({ status: 200, body: json({ value: [{ id: "1" }, null] }) })],
    message: /answered 200 with a "value" array whose item 2 is null/,
  },
  {
    label: "Graph list: a nextLink that is not a URL",
    faults: [users({ status: 200, body: json({ value: [], "@odata.nextLink": 5 }) })],
    message: /answered 200 with a "@odata.nextLink" that is a JSON number, not a URL/,
  },
  {
    label: "Graph get: 200 [] where an object is expected",
    command: GET,
    faults: [users({ status: 200, body: "[]" })],
    message:
      /^Error: Microsoft Graph answered 200 with an empty JSON array \(application\/json\), not the JSON object msgraph-user-get expects\.$/m,
  },
  {
    label: "Graph get: 200 null",
    command: GET,
    faults: [users({ status: 200, body: "null" })],
    message:
      /Microsoft Graph answered 200 with null \(application\/json\), not the JSON object msgraph-user-get/,
  },
  {
    label: "Graph get: 200 with a number",
    command: GET,
    faults: [users({ status: 200, body: "42" })],
    message: /Microsoft Graph answered 200 with a JSON number/,
  },
  {
    label: "Graph get: 204",
    command: GET,
    faults: [users({ status: 204, body: "" })],
    message: /Microsoft Graph answered 204 with no content \(204\), not the JSON object msgraph-user-get/,
  },
  {
    label: "msgraph-user-test: 200 [] on its probe",
    command: ["msgraph-user-test"],
    faults: [users({ status: 200, body: "[]" })],
    message: /not the JSON list \(an object with a "value" array\) msgraph-user-test expects/,
  },
  {
    label: "Graph list: a body over MSINT_MAX_RESPONSE_BYTES stops the reading",
    faults: [users({ status: 200, body: json({ value: [{ id: "x".repeat(200 * 1024) }] }) })],
    env: { MSINT_MAX_RESPONSE_BYTES: "65536" },
    message:
      /The answer of 127\.0\.0\.1:\d+ is larger than 64 KiB, the most msint reads of an answer: it stopped reading\. If the answer is expected, set MSINT_MAX_RESPONSE_BYTES \(bytes\) to read more\./,
  },
  {
    label: "Graph list: an error body of 200 KiB is cut, saying how much",
    faults: [
      users({
        status: 400,
        body: json({ error: { code: "BadRequest", message: `start ${"y".repeat(200 * 1024)}` } }),
      }),
    ],
    // The transport keeps the first 64 KiB of an error answer; the message shows a few hundred characters of it.
    message: /^Error: HTTP 400 \(Bad Request\): .*"start y+… \(65\d{3} more characters cut\)$/m,
  },
];
for (const answer of API_ANSWERS) {
  answer.path ??= USERS_PATH;
  answer.attempts ??= 1;
}

/** Token answers that hold no usable token. */
const TOKEN_ANSWERS: AnswerCase[] = [
  ...(
    [
      [
        "no access_token",
        { token_type: "Bearer", expires_in: 3599 },
        /answered HTTP 200 without an access token/,
      ],
      ["access_token empty", { access_token: "", expires_in: 3599 }, /without an access token/],
      [
        "access_token a number",
        { access_token: 12345, expires_in: 3599 },
        /without an access token \(access_token is a number, not a string\)/,
      ],
      [
        "expires_in 0",
        { access_token: "abc", expires_in: 0 },
        /answered HTTP 200 with expires_in 0: a token must live/,
      ],
      [
        "expires_in negative",
        { access_token: "abc", expires_in: -60 },
        /with expires_in -60: a token must live/,
      ],
      [
        "expires_in a word",
        { access_token: "abc", expires_in: "soon" },
        /with expires_in "soon", not a number of seconds/,
      ],
      [
        "no lifetime at all",
        { access_token: "abc", token_type: "Bearer" },
        /with an access token but no lifetime \(neither expires_in nor expires_on\)/,
      ],
    ] as const
  ).flatMap(([label, body, message]) => [
    {
      label: `token endpoint (client credentials, MSAL): ${label}`,
      instance: "secret",
      faults: [token({ status: 200, body: json(body) })],
      message,
    },
    {
      label: `token endpoint (refresh grant): ${label}`,
      instance: "code",
      faults: [token({ status: 200, body: json(body) })],
      message,
    },
  ]),
  ...(
    [
      ["null", "null"],
      ["[]", "[]"],
      ['"a string"', json("a string")],
      ["an empty body", ""],
    ] as const
  ).map(([label, body]) => ({
    label: `token endpoint (client credentials): 200 ${label}`,
    instance: "secret",
    faults: [token({ status: 200, body, headers: { "content-type": "application/json" } })],
    message: /The token endpoint 127\.0\.0\.1:\d+ answered HTTP 200 without an access token/,
  })),
  ...(["secret", "code"] as const).map((instance) => ({
    label: `token endpoint (${instance === "secret" ? "client credentials, MSAL" : "refresh grant"}): 302 to another host`,
    instance,
    faults: [token({ status: 302, body: "", headers: { location: "https://collector.invalid/token" } })],
    message:
      /The token endpoint 127\.0\.0\.1:\d+ answered HTTP 302 \(a redirect to https:\/\/collector\.invalid\) instead of a token\. msint does not follow redirects/,
  })),
  {
    label: "token endpoint (client credentials): an answer over 256 KiB",
    instance: "secret",
    faults: [token({ status: 200, body: json({ access_token: "a".repeat(300 * 1024), expires_in: 3599 }) })],
    message:
      /The answer of 127\.0\.0\.1:\d+ is larger than 256 KiB, the most msint reads of a token endpoint's answer: it stopped reading\./,
  },
  {
    label: "token endpoint (refresh grant): an answer over 256 KiB",
    instance: "code",
    faults: [token({ status: 200, body: json({ access_token: "a".repeat(300 * 1024), expires_in: 3599 }) })],
    message: /larger than 256 KiB, the most msint reads of a token endpoint's answer/,
  },
  {
    label: "broker: expires_in 0",
    instance: "broker",
    faults: [{ match: "/obtain-token", status: 200, body: json({ access_token: "abc", expires_in: 0 }) }],
    message: /The broker did not answer with a token \(HTTP 200\): it answered with expires_in 0/,
    path: /\/obtain-token$/,
  },
  {
    label: "broker: access_token empty",
    instance: "broker",
    faults: [{ match: "/obtain-token", status: 200, body: json({ access_token: "", expires_in: 3600 }) }],
    message: /The broker did not answer with a token \(HTTP 200\): it answered without an access token/,
    path: /\/obtain-token$/,
  },
  {
    label: "broker: an answer over 256 KiB",
    instance: "broker",
    faults: [
      {
        match: "/obtain-token",
        status: 200,
        body: json({ access_token: "b".repeat(300 * 1024), expires_in: 3600 }),
      },
    ],
    message: /larger than 256 KiB, the most msint reads of a token endpoint's answer/,
    path: /\/obtain-token$/,
  },
  {
    label: "managed identity: expires_in 0",
    instance: "identity",
    faults: [
      {
        match: "/metadata/identity/oauth2/token",
        status: 200,
        count: FOREVER,
        body: json({ access_token: "abc", expires_in: "0", token_type: "Bearer" }),
      },
    ],
    message: /managed identity endpoint answered HTTP 200 with expires_in "0": a token must live/,
    path: /\/metadata\/identity\/oauth2\/token\/?$/,
  },
  {
    label: "managed identity: no access_token",
    instance: "identity",
    faults: [
      {
        match: "/metadata/identity/oauth2/token",
        status: 200,
        count: FOREVER,
        body: json({ expires_in: "3599", token_type: "Bearer" }),
      },
    ],
    message: /managed identity endpoint answered HTTP 200 without an access token/,
    path: /\/metadata\/identity\/oauth2\/token\/?$/,
  },
];
for (const answer of TOKEN_ANSWERS) {
  answer.path ??= TOKEN_PATH;
}

describe("answers of the wrong shape: exit 1 and one clear message", { timeout: 60_000 }, () => {
  it.each(API_ANSWERS)("$label", async ({ command, faults, env, message, path, attempts }) => {
    // A token first, so that the fault meets the API call.
    for (const fault of faults) emulator.faults.inject(fault);
    const result = await run("secret", command ?? LIST, env);
    const stderr = expectOneMessage(result, [1], "secret");
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/No entries|Unexpected error|Cannot convert/);
    expectInert(result);
    expect(requestsTo(emulator, path!)).toHaveLength(attempts!);
  });

  it("a redirect is never followed: the emulator saw one Graph request and nothing else after it", async () => {
    emulator.faults.inject(
      users({ status: 302, body: "", headers: { location: `${emulator.url}/v1.0/users` } }),
    );
    const result = await run("secret", LIST);
    expect(expectOneMessage(result, [1])).toMatch(/answered 302 \(a redirect to http:\/\/127\.0\.0\.1:\d+\)/);
    expect(requestsTo(emulator, USERS_PATH)).toHaveLength(1);
  });

  it.each(TOKEN_ANSWERS)("$label", async ({ instance, faults, message, path }) => {
    for (const fault of faults) emulator.faults.inject(fault);
    const result = await run(instance!, ["msgraph-user-auth-test"]);
    expect(expectOneMessage(result, [1], instance)).toMatch(message);
    expectInert(result);
    // Nothing was cached from the bad answer: the store holds no access token for the instance.
    const document = await (await openHome(home)).read(instance!);
    expect(JSON.stringify(document?.context ?? {})).not.toMatch(/"accessToken"/);
    expect(requestsTo(emulator, path!).length).toBeGreaterThanOrEqual(1);
  });

  it("MSINT_MAX_RESPONSE_BYTES that is not a number of bytes is a usage error naming it", async () => {
    const result = await run("secret", LIST, { MSINT_MAX_RESPONSE_BYTES: "lots" });
    expect(expectOneMessage(result, [2])).toMatch(
      /MSINT_MAX_RESPONSE_BYTES takes a number of bytes \(1024 or more\), not "lots"/,
    );
  });
});

describe("no terminal control from outside", { timeout: 60_000 }, () => {
  it("a displayName with ESC/CSI/OSC/BEL/C1/bidi is printed escaped in markdown; pipes and newlines stay in their cell", async () => {
    const result = await run("secret", [...GET, "properties=id,displayName,jobTitle"]);
    expect(result.code, result.stderr).toBe(0);
    expectInert(result);
    expect(result.stdout).toContain(
      "Adele\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202eevil\\u2066x\\u2069\\u007f",
    );
    // One header, one separator, one row: the pipes are escaped and the line breaks are <br>.
    const rows = result.stdout.split("\n").filter((line) => line.startsWith("|"));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain("Retail\\|Manager<br>Second\\|line<br>third");
  });

  it("--json prints the same displayName escaped, and parses back to the exact value", async () => {
    const result = await run("secret", [...GET, "properties=id,displayName", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expectInert(result);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.raw.displayName).toBe(HOSTILE);
    expect(JSON.stringify(parsed)).toContain("\u009b31m");
  });

  it("the list command's table is escaped the same way", async () => {
    const result = await run("secret", ["msgraph-user-list", "limit=10"]);
    expect(result.code, result.stderr).toBe(0);
    expectInert(result);
    expect(result.stdout).toContain("\\u001b]0;pwned\\u0007");
  });

  it("an error_description with OSC 52 (clipboard), BEL and C1 from the token endpoint is printed escaped", async () => {
    emulator.faults.inject(
      token({
        status: 401,
        body: json({
          error: "invalid_client",
          error_description:
            "AADSTS7000215: Invalid client secret.\u001b]52;c;ZXZpbA==\u0007\u009b2J\u202e Trace ID: 1\r\nCorrelation ID: 2",
        }),
      }),
    );
    const result = await run("secret", ["msgraph-user-auth-test"]);
    const stderr = expectOneMessage(result, [1]);
    expectInert(result);
    expect(stderr).toContain(
      "AADSTS7000215: Invalid client secret.\\u001b]52;c;ZXZpbA==\\u0007\\u009b2J\\u202e",
    );
  });

  it("an API error body with CSI colours and a fake prompt line is printed escaped", async () => {
    emulator.faults.inject(
      users({
        status: 403,
        body: json({
          error: {
            code: "Authorization_RequestDenied",
            message: "Denied\u001b[31m red\u001b[0m\r$ sudo rm -rf /\u0007",
          },
        }),
      }),
    );
    const result = await run("secret", LIST);
    const stderr = expectOneMessage(result, [1]);
    expectInert(result);
    expect(stderr).toContain("Denied\\u001b[31m red\\u001b[0m");
  });

  it("a non-JSON error page with controls is printed escaped", async () => {
    emulator.faults.inject(
      users({
        status: 502,
        count: FOREVER,
        body: "<h1>Bad\u001b[2J gateway\u009b</h1>",
        headers: { "content-type": "text/html" },
      }),
    );
    const result = await run("secret", LIST, { MSINT_HTTP_TIMEOUT_MS: "500" });
    expectOneMessage(result, [1]);
    expectInert(result);
    expect(result.stderr).toContain("Bad\\u001b[2J gateway\\u009b");
  });

  it("a callback's error_description (a pasted redirect URL) is printed escaped", async () => {
    const result = await run("declined", ["msgraph-user-auth-test"]);
    const stderr = expectOneMessage(result, [1, 2]);
    expectInert(result);
    expect(stderr).toContain("declined\\u001b]0;pwned\\u0007\\u009b2J\\u202e");
  });

  it("debug log lines with hostile server text stay single lines without controls", async () => {
    emulator.faults.inject(
      users({
        status: 400,
        body: json({ error: { code: "X\u001b[2J", message: "line1\nFAKE ERROR\u0007" } }),
      }),
    );
    const result = await run("secret", LIST, { MSINT_LOG: "debug" });
    expect(result.code).toBe(1);
    expectInert(result);
  });

  it("a device-code answer with an OSC 8 link and CSI in its user code and URL is printed escaped, in markdown and --json", async () => {
    for (const words of [["msgraph-api-auth-start"], ["msgraph-api-auth-start", "--json"]]) {
      emulator.faults.inject({
        match: "/devicecode",
        status: 200,
        body: json({
          device_code: "device-code-value",
          user_code: "ABCD\u001b[8mEFGH\u001b]8;;https://evil.invalid\u0007",
          verification_uri: "https://microsoft.com/devicelogin\u009b2J",
          expires_in: 900,
          interval: 5,
          message: "To sign in, open \u001b]8;;https://evil.invalid\u0007the page\u001b]8;;\u0007.",
        }),
      });
      const result = await run("device", words);
      expect(result.code, result.stderr).toBe(0);
      expectInert(result);
      expect(result.stdout).toContain("ABCD\\u001b[8mEFGH\\u001b]8;;https://evil.invalid\\u0007");
      expect(result.stdout).toContain("devicelogin\\u009b2J");
    }
  });
});

describe("the counts docs/reliability.md reports", () => {
  it("covers the hostile-answer and terminal-control classes", async () => {
    await recordCount("hostile answers: API answers of the wrong shape", API_ANSWERS.length + 1);
    await recordCount("hostile answers: unusable token answers", TOKEN_ANSWERS.length);
    await recordCount("terminal control: hostile text printed inert", 9);
  });
});
