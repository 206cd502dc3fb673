/**
 * Secrets never leak. Distinctive secrets are planted (client secrets, a private key, refresh and access tokens,
 * authorization codes, PKCE verifiers, broker keys and tokens, the App Service identity header, the store
 * passphrase), then many `msint` commands run on success and failure paths, with `--json`, `instance show` and
 * debug logging (`--debug` in either position, and MSINT_LOG=debug). Every stdout, every stderr and the
 * emulator's request log are scanned for each secret, raw, URL-encoded, form-encoded, base64 and JSON-escaped.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createSelfSignedCertificate, type SelfSignedCertificate } from "@msint/auth-core/internal";
import {
  DEMO_ADMIN_UPN,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  demoSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliRun,
  expectOk,
  expectOneMessage,
  findSecrets,
  GRAPH_USER_SCOPES,
  inPool,
  msint,
  openHome,
  recordCount,
  removeTemporaries,
  signInWithoutBrowser,
  temporaryDir,
} from "./harness.js";

const PLANTED = {
  clientSecret: "Hrd~Planted.ClientSecret_5e1c9b7a2f",
  wrongSecret: "Hrd~Planted.WrongSecret_0b8d6f4e1a",
  secretPastedWithoutKey: "Hrd~Planted.PastedAlone_7d3a1c9e5b",
  secretWithSpaces: "Hrd~Planted.Spaced_2f6b8d0a4c",
  brokerKey: Buffer.from("hrd-planted-broker-aes-key-32by!").toString("base64"),
  brokerRefreshToken: "Hrd-Planted-Broker-RefreshToken-3c8e1f0a9d",
  fakeAuthCode: "0.Hrd-Planted-AuthCode-AXoA9f8e7d6c5b4a",
  storePassphrase: "Hrd planted store passphrase 77aa41",
};
const BROKER_APP_ID = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const BROKER_USER_ID = "4d1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const SCOPES = [...GRAPH_USER_SCOPES];

let emulator: RunningEmulator;
let home: string;
/** The executable's V8 code cache for these runs (scanned too: compiled code must hold no secret). */
let codeCache: string;
let passphraseHome: string;
let certificate: SelfSignedCertificate;
/** Every planted or issued secret, by label. */
const secrets = new Map<string, string>();
/** Every output of every command, labelled. */
const outputs: Array<{ label: string; text: string }> = [];

beforeAll(async () => {
  certificate = await createSelfSignedCertificate({ commonName: "planted", now: Date.now() - 86_400_000 });
  const seed = structuredClone(demoSeed);
  const apps = seed.tenants[0]!.apps;
  apps.find((app) => app.clientId === DEMO_CLIENT_ID)!.secrets!.push({ value: PLANTED.clientSecret });
  apps.find((app) => app.clientId === DEMO_CERT_CLIENT_ID)!.certificates = [
    { pem: certificate.certificatePem },
  ];
  seed.brokerRegistrations = [
    {
      id: BROKER_APP_ID,
      appName: "ms-graph-user",
      key: PLANTED.brokerKey,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "application",
    },
    {
      id: BROKER_USER_ID,
      appName: "ms-graph-user",
      key: PLANTED.brokerKey,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "delegated",
      refreshToken: PLANTED.brokerRefreshToken,
      userPrincipalName: DEMO_ADMIN_UPN,
    },
  ];
  emulator = await startEmulator({ port: 0, seed });
  home = await temporaryDir();
  codeCache = await temporaryDir("msint-code-cache-");
  passphraseHome = await temporaryDir();
  for (const [label, value] of Object.entries(PLANTED)) secrets.set(label, value);
  secrets.set("privateKey", certificate.privateKeyPem);
  secrets.set("identityHeader", emulator.identityHeader);
  secrets.set("userPassword", DEMO_USER_PASSWORD);
});

afterAll(async () => {
  await emulator.close();
  await removeTemporaries();
});

async function cli(label: string, args: string[], extra: Record<string, string> = {}): Promise<CliRun> {
  const result = await msint(args, {
    MSINT_HOME: home,
    MSINT_CODE_CACHE: codeCache,
    IDENTITY_ENDPOINT: `${emulator.url}/msi/token`,
    IDENTITY_HEADER: emulator.identityHeader,
    ...extra,
  });
  outputs.push(
    { label: `${label} (stdout)`, text: result.stdout },
    { label: `${label} (stderr)`, text: result.stderr },
  );
  return result;
}

function add(name: string, params: Record<string, string>, extra: Record<string, string> = {}) {
  const args = ["instance", "add", name, "--integration", "msgraph-user"];
  for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
  return cli(`add ${name}`, args, extra);
}

const custom = () => ({ azure_cloud: "Custom", azure_ad_endpoint: emulator.url, server_url: emulator.url });
const self = { self_deployed: "true", tenant_id: DEMO_TENANT_ID };

/** A command with debug logging on, alternating the ways to turn it on. */
let debugWay = 0;
function debugRun(label: string, instance: string, ...words: string[]): Promise<CliRun> {
  const way = debugWay++ % 3;
  const args =
    way === 0
      ? ["--debug", "run", ...words, "--instance", instance]
      : way === 1
        ? ["run", ...words, "--instance", instance, "--debug"]
        : ["run", ...words, "--instance", instance];
  return cli(label, args, way === 2 ? { MSINT_LOG: "debug" } : {});
}

/** Debug output is there (so the scan below looks at real request logs), with no form values. */
function expectDebugLines(run: CliRun) {
  expect(run.stderr).toMatch(/DEBUG \[transport\] http request method=(GET|POST) url="?http/);
  expect(run.stderr).not.toMatch(
    /client_secret=|refresh_token=|code_verifier=|client_assertion=|\bcode=[^&\s"]/,
  );
}

describe("planted secrets", () => {
  it("appear nowhere: outputs, errors, debug logs, the request log", async () => {
    // ── Instances, with secrets typed on the command line (the worst case) ──────────────────────────────────
    const refreshToken = emulator.issueRefreshToken({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      userId: DEMO_ADMIN_UPN,
      scopes: SCOPES,
    });
    secrets.set("issuedRefreshToken", refreshToken);
    const instances: Record<string, Record<string, string>> = {
      secret: { ...self, auth_id: DEMO_CLIENT_ID, enc_key: PLANTED.clientSecret, ...custom() },
      "wrong-secret": { ...self, auth_id: DEMO_CLIENT_ID, enc_key: PLANTED.wrongSecret, ...custom() },
      cert: {
        ...self,
        auth_id: DEMO_CERT_CLIENT_ID,
        certificate_thumbprint: certificate.thumbprintSha256,
        private_key: certificate.privateKeyPem,
        ...custom(),
      },
      code: {
        ...self,
        auth_type: "Authorization Code",
        auth_id: DEMO_CLIENT_ID,
        enc_key: PLANTED.clientSecret,
        redirect_uri: "http://localhost:8400/callback",
        ...custom(),
      },
      "fake-code": {
        ...self,
        auth_type: "Authorization Code",
        auth_id: DEMO_CLIENT_ID,
        enc_key: PLANTED.clientSecret,
        redirect_uri: "http://localhost:8400/callback",
        auth_code: `http://localhost:8400/callback?code=${PLANTED.fakeAuthCode}&session_state=x`,
        ...custom(),
      },
      hook: {
        ...self,
        auth_type: "Authorization Code",
        auth_id: DEMO_CLIENT_ID,
        enc_key: PLANTED.clientSecret,
        redirect_uri: "http://localhost:8400/callback",
        auth_code: `refresh_token:${refreshToken}`,
        ...custom(),
      },
      broker: {
        auth_id: `${BROKER_APP_ID}@${emulator.url}/obtain-token`,
        tenant_id: DEMO_TENANT_ID,
        enc_key: PLANTED.brokerKey,
        ...custom(),
      },
      "broker-user": {
        auth_id: `${BROKER_USER_ID}@${emulator.url}/obtain-token`,
        tenant_id: PLANTED.brokerRefreshToken,
        enc_key: PLANTED.brokerKey,
        ...custom(),
      },
      identity: { use_managed_identities: "true", ...custom() },
    };
    await inPool(
      3,
      Object.entries(instances).map(
        ([name, params]) =>
          async () =>
            expectOk(await add(name, params), name),
      ),
    );
    expectOk(
      await add(
        "vault",
        { ...self, auth_id: DEMO_CLIENT_ID, enc_key: PLANTED.clientSecret, ...custom() },
        { MSINT_STORE_KEY: PLANTED.storePassphrase, MSINT_HOME: passphraseHome },
      ),
    );

    // ── Success paths, with debug logs, --json and instance show ──────────────────────────────────────────────
    const loginUrl = await cli("login url", [
      "--debug",
      "run",
      "msgraph-user-generate-login-url",
      "--instance",
      "code",
      "--json",
    ]);
    expectOk(loginUrl);
    const url = JSON.parse(loginUrl.stdout).outputs.AuthorizationCode.LoginUrl as string;
    await harvestStores(); // the pending login's PKCE verifier
    emulator.grantConsent({ tenantId: DEMO_TENANT_ID, clientId: DEMO_CLIENT_ID });
    const redirected = await signInWithoutBrowser(url, DEMO_ADMIN_UPN, DEMO_USER_PASSWORD);
    secrets.set("authCode", new URL(redirected).searchParams.get("code")!);
    expectOk(await cli("set code", ["instance", "set", "code", "--param", `auth_code=${redirected}`]));

    const perInstance = (name: string, steps: Array<() => Promise<CliRun>>) => async () => {
      for (const step of steps) {
        const run = await step();
        if (/DEBUG/.test(run.stderr)) {
          expect(run.code, `${name}: ${run.stderr}`).toBe(0);
          // Only log lines on stderr.
          expect(run.stderr.split("\n").filter((line) => line && !/^\S+ DEBUG /.test(line))).toEqual([]);
          expectDebugLines(run);
        } else expectOk(run, name);
      }
    };
    const standard = (name: string) => [
      () => debugRun(`${name} auth-test`, name, "msgraph-user-auth-test"),
      () => debugRun(`${name} list --json`, name, "msgraph-user-list", "limit=2", "--json"),
      () => debugRun(`${name} !get --json`, name, `!msgraph-user-get user="${DEMO_ADMIN_UPN}"`, "--json"),
      () => cli(`${name} show`, ["instance", "show", name]),
      () => debugRun(`${name} test`, name, "msgraph-user-test"),
    ];
    await inPool(3, [
      perInstance("secret", standard("secret")),
      perInstance("cert", standard("cert")),
      perInstance("code", standard("code")),
      perInstance("hook", standard("hook")),
      perInstance("broker", standard("broker")),
      perInstance("broker-user", standard("broker-user")),
      perInstance("identity", standard("identity")),
      perInstance("vault", [
        () =>
          cli("vault auth-test", ["--debug", "run", "msgraph-user-auth-test", "--instance", "vault"], {
            MSINT_STORE_KEY: PLANTED.storePassphrase,
            MSINT_HOME: passphraseHome,
          }),
        () =>
          cli("vault show", ["instance", "show", "vault"], {
            MSINT_STORE_KEY: PLANTED.storePassphrase,
            MSINT_HOME: passphraseHome,
          }),
      ]),
      perInstance("listings", [
        () => cli("instance list", ["instance", "list"]),
        () => cli("integrations", ["integrations", "--json"]),
      ]),
    ]);

    // Everything the store holds is a secret too: access and refresh tokens, PKCE verifiers.
    await harvestStores();

    // ── Failure paths (faults are global to the emulator: one at a time) ────────────────────────────────────
    const failures: Array<[string, () => Promise<CliRun>]> = [
      ["wrong secret", () => debugRun("wrong secret", "wrong-secret", "msgraph-user-auth-test")],
      ["fake code", () => debugRun("fake code", "fake-code", "msgraph-user-auth-test")],
      [
        "secret without KEY=",
        () =>
          cli("secret without KEY=", [
            "instance",
            "set",
            "secret",
            "--param",
            PLANTED.secretPastedWithoutKey,
          ]),
      ],
      [
        "secret with spaces",
        () =>
          cli("secret with spaces", [
            "instance",
            "set",
            "secret",
            "--param",
            `enc_key= ${PLANTED.secretWithSpaces} `,
          ]),
      ],
      [
        "wrong store passphrase",
        () =>
          cli("wrong passphrase", ["instance", "show", "vault"], {
            MSINT_STORE_KEY: `${PLANTED.storePassphrase}-not`,
            MSINT_HOME: passphraseHome,
          }),
      ],
    ];
    const withFault = (
      label: string,
      fault: Parameters<RunningEmulator["faults"]["inject"]>[0],
      instance: string,
      command = "msgraph-user-auth-test",
    ): [string, () => Promise<CliRun>] => [
      label,
      async () => {
        emulator.faults.clear();
        emulator.faults.inject({ count: Number.POSITIVE_INFINITY, ...fault });
        await clearTokens(instance);
        try {
          return await debugRun(label, instance, command, ...(command.endsWith("-list") ? ["limit=1"] : []));
        } finally {
          emulator.faults.clear();
        }
      },
    ];
    // Servers that echo the secret back in their error: the messages built from them must not repeat it.
    const echo = (text: string) =>
      JSON.stringify({
        error: "invalid_client",
        error_description: `AADSTS7000215: Invalid client secret provided: '${text}'.\r\nTrace ID: 0\r\nTimestamp: now`,
        error_codes: [7000215],
      });
    const faulted: Array<[string, () => Promise<CliRun>]> = [
      withFault(
        "token 429 for an hour",
        { match: "/oauth2/v2.0/token", status: 429, retryAfter: 3600 },
        "secret",
      ),
      withFault(
        "token echoing the secret",
        { match: "/oauth2/v2.0/token", status: 401, body: echo(PLANTED.clientSecret) },
        "secret",
      ),
      withFault(
        "token echoing the refresh token",
        { match: "/oauth2/v2.0/token", status: 400, body: echo(refreshToken) },
        "hook",
      ),
      withFault("token garbage", { match: "/oauth2/v2.0/token", kind: "garbage" }, "code"),
      withFault(
        "broker echoing its key",
        {
          match: "/obtain-token",
          status: 401,
          body: `{"error":"invalid_token","message":"bad key ${PLANTED.brokerKey}"}`,
        },
        "broker",
      ),
      withFault("broker garbage", { match: "/obtain-token", kind: "garbage" }, "broker-user"),
      withFault(
        "identity echoing its header",
        {
          match: "/msi/token",
          status: 401,
          body: `{"statusCode":401,"message":"bad header ${emulator.identityHeader}"}`,
        },
        "identity",
      ),
      withFault("graph 403", { match: "/v1.0/users", status: 403 }, "cert", "msgraph-user-list"),
    ];
    await inPool(
      3,
      failures.map(([label, step]) => async () => {
        expectOneMessage(await step(), [1, 2], label);
      }),
    );
    for (const [label, step] of faulted) expectOneMessage(await step(), [1, 2], label);

    // Revoked refresh tokens: the authorization code and the broker's delegated grant.
    emulator.revokeRefreshTokens({ clientId: DEMO_CLIENT_ID });
    emulator.revokeRefreshTokens({ clientId: DEMO_BROKER_VENDOR_CLIENT_ID });
    for (const name of ["code", "hook", "broker-user"]) {
      await clearTokens(name);
      const run = await debugRun(`${name} revoked`, name, "msgraph-user-auth-test");
      expect(expectOneMessage(run, [1], name)).toContain("AADSTS50173");
    }
    expectOk(await cli("auth-reset", ["run", "msgraph-user-auth-reset", "--instance", "code"]));

    await harvestStores();
    secrets.set("store.key", (await readFile(join(home, "store.key"), "utf8")).trim());

    // ── The scan ────────────────────────────────────────────────────────────────────────────────────────────
    const hits: string[] = [];
    for (const { label, text } of outputs) {
      for (const hit of findSecrets(text, secrets)) hits.push(`${hit} in ${label}`);
    }
    for (const hit of findSecrets(JSON.stringify(emulator.requests), secrets))
      hits.push(`${hit} in the request log`);
    // Encrypted at rest: the store files hold none of them either.
    for (const storeHome of [home, passphraseHome]) {
      for (const file of await readdir(join(storeHome, "store"))) {
        const bytes = (await readFile(join(storeHome, "store", file))).toString("latin1");
        for (const hit of findSecrets(bytes, secrets)) hits.push(`${hit} in ${file}`);
      }
    }
    // Node 20 keeps one file per command family there, Node ≥ 22 its own tree of files.
    const cacheFiles = (await readdir(codeCache, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    expect(cacheFiles.length).toBeGreaterThan(0);
    for (const file of cacheFiles) {
      const bytes = (await readFile(file)).toString("latin1");
      for (const hit of findSecrets(bytes, secrets)) hits.push(`${hit} in the code cache ${file}`);
    }
    await recordCount("secrets: distinct secrets scanned for", secrets.size);
    await recordCount("secrets: msint invocations scanned", outputs.length / 2);
    await recordCount("secrets: found", hits.length);
    expect(hits).toEqual([]);
    // What was scanned: the numbers docs/reliability.md reports.
    expect(secrets.size).toBeGreaterThanOrEqual(25);
    expect(outputs.length / 2).toBeGreaterThanOrEqual(60);
    expect(outputs.some(({ text }) => text.includes("DEBUG [transport] http request"))).toBe(true);
  }, 150_000);
});

/** Adds what the stores hold (access and refresh tokens, PKCE verifiers) to the secrets scanned for. */
async function harvestStores(): Promise<void> {
  for (const [storeHome, passphrase] of [
    [home, undefined],
    [passphraseHome, PLANTED.storePassphrase],
  ] as const) {
    const store = await openHome(storeHome, passphrase);
    for (const name of await store.list()) {
      const context = (await store.read(name))?.context ?? {};
      for (const [key, token] of Object.entries(context.tokens ?? {})) {
        secrets.set(`${name} access token ${key}`, token.accessToken);
      }
      if (context.refreshToken)
        secrets.set(`${name} refresh token ${context.refreshToken.slice(-6)}`, context.refreshToken);
      if (context.pendingLogin) secrets.set(`${name} PKCE verifier`, context.pendingLogin.codeVerifier);
    }
  }
}

async function clearTokens(name: string): Promise<void> {
  const store = await openHome(home);
  await store.update(name, (document) =>
    document ? { ...document, context: { ...document.context, tokens: {}, backoff: undefined } } : document,
  );
}
