/**
 * @msint/integration-testing: what an integration package's tests need to run its commands end to end, in
 * process. The Entra ID emulator issues the tokens and serves the resource doubles a test registers with
 * `emulator.addRoute`; a transport sends every request for a real host (login.microsoftonline.com,
 * management.azure.com, <vault>.vault.azure.net …) to the emulator instead, so instances keep their real
 * cloud, endpoints and token audiences, and each request is recorded as the integration sent it.
 */
import {
  createTransport,
  formatCommand,
  type HttpRequest,
  type HttpResponse,
  MemoryStore,
  type Transport,
} from "@msint/auth-core/internal";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  demoSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import {
  type CommandResult,
  createApiClient,
  type InstanceDocument,
  type Integration,
  type ParameterValues,
  type ResourceDefinition,
  readTokenClaims,
  resolveEndpoints,
  resolveParameterValues,
  runCommand,
  UsageError,
} from "@msint/integration-kit";

/** The emulator's demo storage account, its managed identities, and account SAS tokens signed with its key. */
export {
  DEMO_MANAGED_IDENTITY_CLIENT_ID,
  DEMO_STORAGE_ACCOUNT,
  DEMO_STORAGE_ACCOUNT_KEY,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  demoAccountSas,
} from "@msint/entra-emulator";
export { DEMO_CLIENT_ID, DEMO_EXPIRED_CLIENT_ID, DEMO_EXPIRED_CLIENT_SECRET, DEMO_TENANT_ID };

/** One request an integration sent, as it sent it (before it was redirected to a double). */
export interface ApiCall {
  method: string;
  /** The full URL the integration asked for. */
  url: URL;
  /** Its host, e.g. `management.azure.com`. */
  host: string;
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Request headers, lower-cased names. */
  headers: Record<string, string>;
  /** The body, parsed as JSON when it is JSON. */
  body: unknown;
}

function headerMap(headers: Record<string, string> | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) map[name.toLowerCase()] = value;
  return map;
}

function parseBody(body: HttpRequest["body"]): unknown {
  if (body === undefined) return undefined;
  const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toCall(request: HttpRequest): ApiCall {
  const url = new URL(request.url);
  return {
    method: request.method,
    url,
    host: url.host,
    path: decodeURIComponent(url.pathname),
    query: Object.fromEntries(url.searchParams),
    headers: headerMap(request.headers),
    body: parseBody(request.body),
  };
}

const TOKEN_PATH = /\/oauth2\/(v2\.0\/)?(token|devicecode|authorize)$/;

/** Records what the integration sends; token requests are left out of `calls`. */
class CallLog {
  readonly calls: ApiCall[] = [];
  /** Every request, token requests included. */
  readonly all: ApiCall[] = [];
  record(request: HttpRequest): void {
    const call = toCall(request);
    this.all.push(call);
    if (!TOKEN_PATH.test(call.path)) this.calls.push(call);
  }
}

/**
 * Instance parameters (on top of {@link CLIENT_CREDENTIALS_PARAMS}) of the demo tenant's app that holds no
 * permission at all: for "the token lacks the role" tests.
 */
export const NO_GRANT_PARAMS: ParameterValues = {
  auth_id: DEMO_NO_GRANT_CLIENT_ID,
  enc_key: DEMO_NO_GRANT_CLIENT_SECRET,
};

/** The parameters of a client-credentials instance of the emulator's demo app. */
export const CLIENT_CREDENTIALS_PARAMS: ParameterValues = {
  self_deployed: true,
  tenant_id: DEMO_TENANT_ID,
  auth_id: DEMO_CLIENT_ID,
  enc_key: DEMO_CLIENT_SECRET,
};

/** What every harness offers. */
export interface CommandRunner {
  /** Runs a command the way `msint run` does, on an instance with the harness's parameters plus `params`. */
  run(command: string, args?: Record<string, string>, params?: ParameterValues): Promise<CommandResult>;
  /** Every API request so far (token requests excluded), in order. */
  readonly calls: readonly ApiCall[];
  /** The last API request. */
  lastCall(): ApiCall;
  /** Forgets the recorded requests. */
  clear(): void;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Resources to register with the emulator: key → audiences (e.g. `{ vault: ["https://vault.azure.net"] }`). */
  resources?: Record<string, string[]>;
  /** Application roles the demo app holds, per resource key (e.g. `{ arm: ["user_impersonation"] }`). */
  grants?: Record<string, string[]>;
  /** Instance parameters on top of {@link CLIENT_CREDENTIALS_PARAMS}. */
  params?: ParameterValues;
}

/** A running emulator plus an instance of the integration that talks to it. */
export interface Harness extends CommandRunner {
  readonly emulator: RunningEmulator;
  /** Every request the integration sent so far, token requests included, as it sent them (host asked for). */
  readonly requests: readonly ApiCall[];
  /**
   * Runs one of the integration's own commands with an access token the emulator mints for the instance's
   * audience: delegated when `scp` is given (a signed-in user), app-only with `roles` otherwise. For rows of the
   * seed table without client credentials, whose user flows a test cannot sign in with.
   */
  runWithToken(
    command: string,
    args: Record<string, string>,
    token: { scp?: string; roles?: string[]; params?: ParameterValues },
  ): Promise<CommandResult>;
  /**
   * An instance of its own whose parameters change between commands while its context (tokens, refresh token,
   * pending sign-in) stays, as with `msint instance set`: for the delegated flows.
   */
  instance(params: ParameterValues): Promise<HarnessInstance>;
  /**
   * Signs in at the emulator as a browser would (the demo user by default) with a login URL an instance printed,
   * and returns the URL the browser was redirected to (`…?code=…&state=…`).
   */
  signIn(loginUrl: string, username?: string, password?: string): Promise<string>;
  /** Stops the emulator. */
  close(): Promise<void>;
}

/** See {@link Harness.instance}. */
export interface HarnessInstance {
  run(command: string, args?: Record<string, string>): Promise<CommandResult>;
  /** Changes parameters (`undefined` removes one); the context stays. */
  set(params: ParameterValues): Promise<void>;
}

/**
 * Follows the emulator's sign-in pages without a browser: posts the sign-in form (and accepts consent when asked)
 * until the emulator redirects, and returns that redirect's URL.
 */
export async function signInWithoutBrowser(
  loginUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const origin = new URL(loginUrl).origin;
  let response = await fetch(loginUrl, { redirect: "manual" });
  for (let step = 0; step < 4; step++) {
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      if (!location) throw new Error("redirect without a location");
      return location;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    const flow = /name="flow" value="([^"]+)"/.exec(page)?.[1];
    if (!action || !flow) throw new Error(`no sign-in form in the page: ${page.slice(0, 200)}`);
    const form = new URLSearchParams({ flow });
    if (page.includes('name="password"')) {
      form.set("username", username);
      form.set("password", password);
      form.set("action", "signin");
    } else {
      form.set("action", /value="accept"/.test(page) ? "accept" : "continue");
    }
    response = await fetch(new URL(action.replace(/&amp;/g, "&"), origin), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
  }
  throw new Error("the sign-in did not end in a redirect");
}

/** The object ID of the emulator's first demo user (the signed-in user of delegated tokens). */
export const DEMO_USER_ID = demoSeed.tenants[0]!.users![0]!.id;
/** The demo user's sign-in name. */
export const DEMO_USER_UPN = demoSeed.tenants[0]!.users![0]!.userPrincipalName;

function instanceDocument(integration: Integration, params: ParameterValues): InstanceDocument {
  const now = new Date(0).toISOString();
  return {
    version: 1,
    name: "test",
    integration: integration.manifest.id,
    params,
    context: {},
    createdAt: now,
    updatedAt: now,
  };
}

function commandRunner(
  integration: Integration,
  baseParams: ParameterValues,
  transport: Transport,
  log: CallLog,
): CommandRunner {
  // One store per parameter set: tokens are cached across commands of the same instance, as in `msint run`.
  const stores = new Map<string, MemoryStore<InstanceDocument>>();
  return {
    async run(command, args = {}, params = {}) {
      const merged = { ...baseParams, ...params };
      const key = JSON.stringify(merged);
      let store = stores.get(key);
      if (!store) {
        store = new MemoryStore<InstanceDocument>();
        stores.set(key, store);
        await store.update("test", () => instanceDocument(integration, merged));
      }
      const document = (await store.read("test"))!;
      return runCommand(integration, command, args, { store, document, env: {}, transport });
    },
    get calls() {
      return log.calls;
    },
    lastCall() {
      const call = log.calls.at(-1);
      if (!call) throw new Error("The integration sent no API request.");
      return call;
    },
    clear() {
      log.calls.length = 0;
      log.all.length = 0;
    },
  };
}

/**
 * Starts the emulator with the demo seed, registers `resources`, grants `grants` to the demo app and returns
 * a runner whose instance uses client credentials of the demo app in the Worldwide cloud (unless `params` say
 * otherwise). Requests to any host other than the emulator's go to the emulator.
 */
export async function startHarness(integration: Integration, options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ port: 0 });
  for (const [key, audiences] of Object.entries(options.resources ?? {})) {
    emulator.registerResource(key, audiences);
  }
  const app = emulator.seed.tenants[0]!.apps.find((candidate) => candidate.clientId === DEMO_CLIENT_ID)!;
  app.grants = { ...app.grants, ...options.grants };

  const log = new CallLog();
  const real = createTransport({ maxRetries: 0 });
  const emulatorOrigin = new URL(emulator.url).origin;
  const transport: Transport = {
    request(request: HttpRequest): Promise<HttpResponse> {
      log.record(request);
      const url = new URL(request.url);
      if (url.origin === emulatorOrigin) return real.request(request);
      const redirected = new URL(`${url.pathname}${url.search}`, emulatorOrigin);
      return real.request({
        ...request,
        url: redirected.toString(),
        headers: { ...request.headers, "x-forwarded-host": url.host },
      });
    },
  };
  const baseParams = { ...CLIENT_CREDENTIALS_PARAMS, ...options.params };
  const runner = commandRunner(integration, baseParams, transport, log);

  return {
    ...runner,
    get calls() {
      return log.calls;
    },
    get requests() {
      return log.all;
    },
    emulator,
    async runWithToken(command, args, token) {
      const definition = integration.ownCommand(command);
      if (!definition) throw new UsageError(`${integration.manifest.id} has no command ${command}.`);
      const params = resolveParameterValues(integration.parameters, { ...baseParams, ...token.params }, {});
      const clientFor = (resource: ResourceDefinition) => {
        const resourceEndpoints = resolveEndpoints(integration.manifest, params, resource);
        const accessToken = emulator.issueAccessToken({
          tenantId: DEMO_TENANT_ID,
          clientId: DEMO_CLIENT_ID,
          resource: resourceEndpoints.audience,
          ...(token.scp === undefined ? {} : { scp: token.scp, userId: DEMO_USER_ID }),
          ...(token.roles === undefined ? {} : { roles: token.roles }),
        });
        return createApiClient({
          baseUrl: resourceEndpoints.apiBase,
          transport,
          authorize: async () => ({ headers: { authorization: `Bearer ${accessToken}` }, fromCache: false }),
          headers: resource.headers,
          commandPrefix: integration.manifest.commandPrefix,
        });
      };
      const api = clientFor(integration.manifest.resource);
      // The main resource's token, as a command reads its claims (e.g. the tenant, `tid`).
      const mainToken = emulator.issueAccessToken({
        tenantId: DEMO_TENANT_ID,
        clientId: DEMO_CLIENT_ID,
        resource: resolveEndpoints(integration.manifest, params).audience,
      });
      const apiFor = (key: string) => {
        const resource = integration.manifest.additionalResources?.[key];
        if (!resource) throw new UsageError(`${integration.manifest.id} has no additional resource ${key}.`);
        return clientFor(resource);
      };
      const given: Record<string, string> = {};
      for (const argument of definition.arguments ?? []) {
        const value = args[argument.name] ?? argument.defaultValue;
        if (value !== undefined && value !== "") given[argument.name] = value;
        else if (argument.required) throw new UsageError(`${command} needs the argument ${argument.name}.`);
      }
      return definition.run({
        args: given,
        params,
        api,
        apiFor,
        instance: "test",
        formatCommand,
        accessTokenClaims: async () => readTokenClaims(mainToken),
      });
    },
    async instance(params) {
      const store = new MemoryStore<InstanceDocument>();
      await store.update("test", () => instanceDocument(integration, { ...baseParams, ...params }));
      return {
        async run(command, args = {}) {
          const document = (await store.read("test"))!;
          return runCommand(integration, command, args, { store, document, env: {}, transport });
        },
        async set(changes) {
          await store.update("test", (document) => {
            const next = { ...document!.params, ...changes };
            for (const [key, value] of Object.entries(changes)) if (value === undefined) delete next[key];
            return { ...document!, params: next };
          });
        },
      };
    },
    signIn(loginUrl, username = DEMO_USER_UPN, password = DEMO_USER_PASSWORD) {
      const url = new URL(loginUrl);
      return signInWithoutBrowser(
        new URL(`${url.pathname}${url.search}`, emulatorOrigin).toString(),
        username,
        password,
      );
    },
    close: () => emulator.close(),
  };
}

/** What a fake service answers. A string body is sent as is, anything else as JSON. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Options of {@link fakeServiceHarness}. */
export interface FakeServiceOptions {
  /** Instance parameters (no client credentials are added: for integrations that authenticate otherwise). */
  params: ParameterValues;
  /** Answers one request. */
  handle(call: ApiCall): FakeResponse | Promise<FakeResponse>;
}

/**
 * A runner whose requests are answered in process by `handle`, with no emulator: for services that take no
 * OAuth token, such as the Azure Storage data plane with an account SAS token.
 */
export function fakeServiceHarness(integration: Integration, options: FakeServiceOptions): CommandRunner {
  const log = new CallLog();
  const transport: Transport = {
    async request(request: HttpRequest): Promise<HttpResponse> {
      log.record(request);
      const response = await options.handle(toCall(request));
      const isText = typeof response.body === "string" || response.body === undefined;
      const headers = headerMap(response.headers);
      if (!isText) headers["content-type"] ??= "application/json";
      return {
        status: response.status,
        headers,
        body:
          response.body === undefined ? "" : isText ? String(response.body) : JSON.stringify(response.body),
        url: request.url,
      };
    },
  };
  return commandRunner(integration, options.params, transport, log);
}
