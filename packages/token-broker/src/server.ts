import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  authorizeEndpoint,
  cleanAadstsDescription,
  createLogger,
  createPkcePair,
  createRedactor,
  createTransport,
  decryptBrokerToken,
  isLoopbackHost,
  type Logger,
  type LogLevel,
  resourceScope,
  type Transport,
} from "@msint/auth-core/internal";
import { type ClientAddress, clientAddress } from "./client-address.js";
import {
  type BrokerApp,
  type BrokerConfig,
  BrokerConfigError,
  type BrokerConfigInput,
  loadBrokerConfigFile,
  parseBrokerConfig,
} from "./config.js";
import { type PendingSignIn, type Registration, RegistrationStore } from "./database.js";
import { type EntraRefusal, isRefusal, requestToken } from "./entra.js";
import { type IdTokenProblem, JwksCache, validateIdToken } from "./oidc.js";
import { appPage, credentialsPage, errorPage, homePage } from "./pages.js";
import { SharedFailureBackoff, SharedNonceCache, SharedRateLimiter } from "./shared-limits.js";

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default `127.0.0.1`. Anything else needs `publicUrl` in the configuration. */
  host?: string;
  /** The configuration: a validated {@link BrokerConfig}, a configuration object, or the path of a JSON file. */
  config: BrokerConfig | BrokerConfigInput | string;
  /** Where `env:` references and `MSINT_BROKER_MASTER_KEY` are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Database directory; default the configuration's `dataDir`, else `MSINT_BROKER_DATA`, else `~/.msint/broker`. */
  dataDir?: string;
  /**
   * A PostgreSQL URL (postgres://…) instead of the embedded database: registrations, rate limits and the replay
   * cache live there, so that any number of replicas on it behave as one. Default `MSINT_BROKER_DATABASE_URL`.
   * Needs MSINT_BROKER_MASTER_KEY (the same on every replica).
   */
  database?: string;
  /** Receives log lines (never a token, key or secret); default standard error. */
  log?: (line: string) => void;
  /** Default `info`: one line per request. */
  logLevel?: LogLevel | "silent";
  /** HTTP client for Microsoft Entra ID; default auth-core's transport. */
  transport?: Transport;
  /** Clock, epoch ms; for tests. */
  now?: () => number;
}

/** A running broker. */
export interface RunningBroker {
  /** Where the server listens, `http://host:port`. */
  url: string;
  /** The URL customers use (configuration `publicUrl`, else {@link url}). */
  publicUrl: string;
  /** `<publicUrl>/obtain-token`, the broker URL that follows `@` in an instance's ID. */
  obtainTokenUrl: string;
  /** The redirect URI to register on every app: `<publicUrl>/callback`. */
  redirectUri: string;
  /** The data directory (embedded database), or the PostgreSQL URL without its password. */
  dataDir: string;
  /** The configured app names. */
  apps: string[];
  /**
   * Creates a registration without the browser flow (migrations, tests): `token` is the tenant ID (application
   * permissions) or a refresh token (delegated). Returns what the credentials page would show.
   */
  register(
    appName: string,
    token: string,
  ): Promise<{ id: string; token: string; key: string; registrationId: string }>;
  /** Registrations per app, and sign-ins waiting for their callback (what the database holds now). */
  stats(): Promise<{ registrations: Record<string, number>; pendingSignIns: number }>;
  /** Stops listening, closes connections and the database. */
  close(): Promise<void>;
}

/** Accepted distance between the client's timestamp and the broker's clock. */
const TIMESTAMP_WINDOW_SECONDS = 300;
/** Nonces are remembered for twice the window: a message is refused as stale before its nonce is forgotten. */
const NONCE_TTL_MS = 2 * TIMESTAMP_WINDOW_SECONDS * 1000;
/** Failed protocol requests (unknown registration, wrong key or token) allowed per client address and minute. */
const FAILURES_PER_MINUTE = 60;
const STATE_LIFETIME_MS = 15 * 60_000;
const MAX_BODY_BYTES = 64 * 1024;
const FLOW_COOKIE = "msint_broker_flow";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An error answer of `/obtain-token`: `{ error, message }`, never with a secret in it. */
class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; codes?: number[] } = {},
  ) {
    super(message);
  }
}

/** The scopes of the broker's sign-in: OpenID Connect's, plus the delegated scopes and offline_access. */
function signInScopes(app: BrokerApp): string {
  const scopes = ["openid", "profile"];
  if (app.permissions === "delegated") scopes.push(...app.scopes, "offline_access");
  return scopes.join(" ");
}

/** What the person signing in reads when the ID token is refused. */
function idTokenRefusal(problem: IdTokenProblem): { title: string; message: string } {
  const title = "The sign-in could not be verified";
  const messages: Record<IdTokenProblem, string> = {
    missing: "Microsoft Entra ID did not return an ID token for the sign-in.",
    malformed: "The ID token of the sign-in is not a well-formed JWT.",
    algorithm: "The ID token is not signed with RS256, the only algorithm the broker accepts.",
    unknown_key: "The ID token is signed with a key the tenant does not publish.",
    keys_unavailable:
      "The tenant's signing keys could not be fetched from Microsoft Entra ID; try again shortly.",
    signature: "The ID token's signature does not verify with the tenant's published key.",
    issuer: "The ID token was not issued by the tenant it names.",
    audience: "The ID token was issued to another application.",
    nonce: "The ID token does not answer the sign-in this browser started (nonce mismatch).",
    expired: "The ID token has expired; check the broker's clock if this repeats.",
    not_yet_valid: "The ID token is not valid yet; check the broker's clock.",
    tenant: "The sign-in happened in another tenant than the one that consented.",
  };
  return { title, message: messages[problem] };
}

function resolveConfig(options: BrokerOptions, env: Record<string, string | undefined>): BrokerConfig {
  const { config } = options;
  if (typeof config === "string") return loadBrokerConfigFile(config, env);
  if (config && (config as BrokerConfig).apps instanceof Map) return config as BrokerConfig;
  return parseBrokerConfig(config, { env, baseDir: process.cwd() });
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ProtocolError(413, "request_too_large", "The request body is larger than 64 KiB.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the token broker: the pages that create registrations (Start Authorization Process → Microsoft consent →
 * ID, Token and Key) and `POST /obtain-token`, which integrations call for access tokens.
 * @throws BrokerConfigError naming the configuration field or variable at fault.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const env = options.env ?? process.env;
  const config = resolveConfig(options, env);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const now = options.now ?? Date.now;
  if (!config.publicUrl && !isLoopbackHost(host)) {
    throw new BrokerConfigError(
      "publicUrl",
      `must be set when the broker listens on ${host}: it is the https URL of the TLS reverse proxy in front of it (the broker never trusts forwarded headers to guess it).`,
    );
  }
  const dataDir = resolve(
    options.dataDir ?? config.dataDir ?? env["MSINT_BROKER_DATA"] ?? join(homedir(), ".msint", "broker"),
  );

  const redactor = createRedactor();
  for (const app of config.apps.values()) {
    if (app.credential.kind === "secret") redactor.add(app.credential.clientSecret);
  }
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const logger: Logger = createLogger({ level: options.logLevel ?? "info", sink, redactor, scope: "broker" });
  const databaseUrl = options.database ?? env["MSINT_BROKER_DATABASE_URL"] ?? undefined;
  const store = await RegistrationStore.open({
    dataDir,
    databaseUrl: databaseUrl || undefined,
    env,
    warn: (message) => logger.warn(message),
  });
  const transport =
    options.transport ??
    createTransport({ logger: logger.child("transport"), redactor, proxy: config.proxy });
  const jwks = new JwksCache(transport, now);
  /** The configured tenant when it is one tenant (a GUID): delegated sign-ins must then happen in it. */
  const configuredTenantId = GUID.test(config.tenant) ? config.tenant.toLowerCase() : undefined;

  // In the database, so that every replica on one database shares them.
  const limiter = new SharedRateLimiter(store.database, now, "registration");
  const failures = new SharedRateLimiter(store.database, now, "failures");
  /** Failures naming a registration, per registration and client address. */
  const strikes = new SharedFailureBackoff(store.database, now);
  const nonces = new SharedNonceCache(store.database, now, NONCE_TTL_MS, "token");
  const locks = new Map<string, Promise<unknown>>();
  const sweeper = setInterval(() => {
    nonces.sweep().catch(() => undefined);
    strikes.sweep().catch(() => undefined);
    store.sweepPendingSignIns(now()).catch(() => undefined);
    try {
      store.restrictFiles();
    } catch {
      // Reported at close if it persists.
    }
  }, 60_000);
  sweeper.unref();

  let publicUrl = config.publicUrl ?? "";
  const loginOrigin = new URL(config.loginHost).origin;
  const secureCookies = () => publicUrl.startsWith("https:");

  // --- responses -------------------------------------------------------------------------------------------

  const commonHeaders = (): Record<string, string> => ({
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    ...(secureCookies() ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  });

  const sendJson = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...commonHeaders(),
      "Content-Type": "application/json; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Cache-Control": "no-store",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  };

  const sendPage = (
    response: ServerResponse,
    status: number,
    render: (nonce: string) => string,
    headers: Record<string, string> = {},
  ) => {
    const nonce = randomBytes(16).toString("base64");
    const html = render(nonce);
    response.writeHead(status, {
      ...commonHeaders(),
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self' data:",
        // Chromium applies form-action to the redirect that follows a form: the login host must be allowed.
        `form-action 'self' ${loginOrigin}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
      "Cache-Control": "no-store",
      "Content-Length": Buffer.byteLength(html),
      ...headers,
    });
    response.end(html);
  };

  // --- sign-in state ---------------------------------------------------------------------------------------------

  /** The cookie that binds a pending sign-in to the browser that started it: HttpOnly, Lax, one-time, expiring. */
  const flowCookie = (binding: string) =>
    [
      `${FLOW_COOKIE}=${binding}`,
      "Path=/callback",
      "HttpOnly",
      "SameSite=Lax",
      `Max-Age=${STATE_LIFETIME_MS / 1000}`,
      ...(secureCookies() ? ["Secure"] : []),
    ].join("; ");
  const clearFlowCookie = () =>
    [
      `${FLOW_COOKIE}=`,
      "Path=/callback",
      "HttpOnly",
      "SameSite=Lax",
      "Max-Age=0",
      ...(secureCookies() ? ["Secure"] : []),
    ].join("; ");

  /**
   * Stores a pending step and answers the browser with a redirect to Microsoft, setting the cookie that binds the
   * step to this browser.
   */
  const redirectTo = async (
    response: ServerResponse,
    app: BrokerApp,
    step: PendingSignIn["step"],
    build: (state: string) => URL,
    extra: Pick<PendingSignIn, "codeVerifier" | "nonce" | "tenantId"> = {},
  ) => {
    const state = randomBytes(32).toString("base64url");
    const binding = randomBytes(32).toString("base64url");
    await store.savePendingSignIn({
      state,
      appName: app.name,
      step,
      binding,
      ...extra,
      expiresAt: now() + STATE_LIFETIME_MS,
    });
    response.writeHead(303, {
      ...commonHeaders(),
      Location: build(state).toString(),
      "Set-Cookie": flowCookie(binding),
      "Cache-Control": "no-store",
    });
    response.end();
  };

  /**
   * The OpenID Connect sign-in that proves who consents: authorization code with PKCE (S256) and a nonce, scope
   * `openid profile` plus what the app needs. For an application app it happens in the tenant the admin consent
   * named (`tenantId`), and only the ID token's `tid` counts.
   */
  const startSignIn = async (response: ServerResponse, app: BrokerApp, tenantId?: string) => {
    const pkce = createPkcePair();
    const nonce = randomBytes(24).toString("base64url");
    const scopes = signInScopes(app);
    await redirectTo(
      response,
      app,
      "signin",
      (state) => {
        const location = new URL(authorizeEndpoint(config.loginHost, tenantId ?? config.tenant));
        location.searchParams.set("client_id", app.clientId);
        location.searchParams.set("response_type", "code");
        location.searchParams.set("redirect_uri", `${publicUrl}/callback`);
        location.searchParams.set("response_mode", "query");
        location.searchParams.set("scope", scopes);
        location.searchParams.set("nonce", nonce);
        location.searchParams.set("code_challenge", pkce.codeChallenge);
        location.searchParams.set("code_challenge_method", "S256");
        location.searchParams.set("state", state);
        return location;
      },
      { codeVerifier: pkce.codeVerifier, nonce, ...(tenantId ? { tenantId } : {}) },
    );
    logger.info("sign-in started", { app: app.name, permissions: app.permissions });
  };

  // --- pages ---------------------------------------------------------------------------------------------------

  const start = async (response: ServerResponse, app: BrokerApp) => {
    if (app.permissions === "delegated") return startSignIn(response, app, configuredTenantId);
    // Application permissions: the administrator consents first; the sign-in that proves it follows.
    await redirectTo(response, app, "consent", (state) => {
      const location = new URL(`${config.loginHost}/${encodeURIComponent(config.tenant)}/adminconsent`);
      location.searchParams.set("client_id", app.clientId);
      location.searchParams.set("redirect_uri", `${publicUrl}/callback`);
      location.searchParams.set("state", state);
      return location;
    });
    logger.info("authorization started", { app: app.name, permissions: app.permissions });
  };

  const callback = async (
    request: IncomingMessage,
    response: ServerResponse,
    query: URLSearchParams,
    client: ClientAddress,
  ) => {
    const fail = (
      status: number,
      title: string,
      message: string,
      app?: BrokerApp,
      detail?: string,
      reason?: string,
    ) => {
      logger.info("authorization failed", {
        client: client.address,
        ...(client.problem ? { clientProblem: client.problem } : {}),
        app: app?.name,
        status,
        reason: reason ?? title,
      });
      sendPage(
        response,
        status,
        (nonce) =>
          errorPage(title, message, nonce, {
            ...(detail ? { detail } : {}),
            ...(app ? { retryHref: `/${app.name}` } : {}),
          }),
        { "Set-Cookie": clearFlowCookie() },
      );
    };
    const startAgain = "Start the authorization process again from the broker's page.";
    const taken = await store.takePendingSignIn(
      query.get("state") ?? "",
      cookieValue(request.headers.cookie, FLOW_COOKIE),
      now(),
    );
    if (taken.status === "unknown") {
      return fail(
        400,
        "This authorization response is not valid",
        `It does not belong to an authorization process started on this broker, or it was altered. ${startAgain}`,
        undefined,
        undefined,
        "unknown state",
      );
    }
    const app = config.apps.get(taken.status === "ok" ? taken.pending.appName : taken.appName);
    if (!app) return fail(400, "Unknown integration", "This integration is no longer served by this broker.");
    if (taken.status === "used") {
      return fail(
        400,
        "This authorization response was already used",
        "Each authorization process gives one ID, Token and Key. Start again to get new ones.",
        app,
        undefined,
        "replayed state",
      );
    }
    if (taken.status === "expired") {
      return fail(
        400,
        "The authorization process expired",
        "More than 15 minutes passed since it started. Start it again.",
        app,
        undefined,
        "expired state",
      );
    }
    if (taken.status === "browser") {
      return fail(
        400,
        "The authorization process was started in another browser",
        `Finish it in the browser window where you clicked Start Authorization Process (with cookies allowed for ${publicUrl}), or start again here.`,
        app,
        undefined,
        "missing or wrong browser cookie",
      );
    }
    const pending = taken.pending;

    const error = query.get("error");
    if (error) {
      const cleaned = cleanAadstsDescription((query.get("error_description") ?? "").slice(0, 1000));
      const text = `${cleaned.code !== undefined ? `AADSTS${cleaned.code}: ` : ""}${cleaned.description || error}`;
      const declined = error === "access_denied" || cleaned.code === 65004;
      return fail(
        400,
        declined ? "Consent was declined" : "Microsoft refused the authorization",
        declined
          ? `The permissions were not granted, so no credentials were created. ${app.permissions === "application" ? "An administrator of the tenant must accept the permissions for the organization." : "Accept the requested permissions to continue."}`
          : "Microsoft Entra ID ended the sign-in with an error; nothing was created.",
        app,
        `${error}: ${text.slice(0, 300)}`,
      );
    }

    if (pending.step === "consent") {
      // The admin-consent redirect comes through the browser: it is not proof of anything. Its tenant only says
      // where the sign-in that proves the consent happens.
      const tenant = query.get("tenant") ?? "";
      if ((query.get("admin_consent") ?? "").toLowerCase() !== "true" || !GUID.test(tenant)) {
        return fail(
          400,
          "Consent was not granted",
          "Microsoft did not confirm admin consent for a tenant. Start again and accept the permissions as an administrator.",
          app,
        );
      }
      return startSignIn(response, app, tenant.toLowerCase());
    }

    const code = query.get("code");
    if (!code) {
      return fail(400, "Microsoft returned no authorization code", startAgain, app, undefined, "no code");
    }
    const redeemed = await requestToken(transport, config.loginHost, pending.tenantId ?? config.tenant, app, {
      grant_type: "authorization_code",
      code: code.slice(0, 4096),
      redirect_uri: `${publicUrl}/callback`,
      code_verifier: pending.codeVerifier ?? "",
      scope: signInScopes(app),
    });
    if (isRefusal(redeemed)) {
      return fail(
        502,
        "The sign-in could not be completed",
        `Microsoft Entra ID refused to redeem the authorization code, so nothing was created. ${startAgain}`,
        app,
        redeemed.message,
        "code redemption refused",
      );
    }
    const checked = await validateIdToken(
      redeemed.idToken,
      {
        loginHost: config.loginHost,
        clientId: app.clientId,
        nonce: pending.nonce ?? "",
        ...(pending.tenantId ? { tenantId: pending.tenantId } : {}),
        keysTenant: config.tenant,
        now: now(),
      },
      jwks,
    );
    if (!checked.ok) {
      const { title, message } = idTokenRefusal(checked.problem);
      return fail(
        400,
        title,
        `${message} Nothing was created. ${startAgain}`,
        app,
        undefined,
        `id token: ${checked.problem}`,
      );
    }
    const tenantId = checked.token.tenantId;

    let token: string;
    if (app.permissions === "application") {
      // A user of the tenant signed in; confirm with Microsoft that the app really can get tokens there.
      const check = await requestToken(transport, config.loginHost, tenantId, app, {
        grant_type: "client_credentials",
        scope: app.scopes[0]!,
      });
      if (isRefusal(check)) {
        return fail(
          502,
          "The consent could not be confirmed",
          `Microsoft Entra ID refused a token for tenant ${tenantId}: check that an administrator consented in this tenant and cloud, then start again.`,
          app,
          check.message,
        );
      }
      token = tenantId;
    } else {
      if (!redeemed.refreshToken) {
        return fail(
          502,
          "Microsoft returned no refresh token",
          "The app must be allowed the offline_access permission. Ask the broker's operator to check the app registration.",
          app,
        );
      }
      token = redeemed.refreshToken;
    }
    const created = await store.create(app.name, app.permissions, token);
    logger.info("registration created", {
      client: client.address,
      app: app.name,
      permissions: app.permissions,
      registration: shortId(created.id),
    });
    sendPage(
      response,
      200,
      (nonce) =>
        credentialsPage(
          app,
          { id: `${created.id}@${publicUrl}/obtain-token`, token, key: created.key },
          nonce,
        ),
      { "Set-Cookie": clearFlowCookie() },
    );
  };

  // --- POST /obtain-token --------------------------------------------------------------------------------------

  const withLock = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    // In process first, then in the database: replicas on one PostgreSQL database take turns too.
    const current = previous.catch(() => undefined).then(() => store.database.lock(key, run));
    locks.set(key, current);
    try {
      return await current;
    } finally {
      if (locks.get(key) === current) locks.delete(key);
    }
  };

  const resolveScope = (app: BrokerApp, scope: unknown, resource: unknown): string => {
    const requested = typeof scope === "string" ? scope.trim() : "";
    let scopes: string[];
    if (requested) {
      scopes = requested.split(/\s+/).map((item) => {
        if (/[/:]/.test(item) || item.toLowerCase() === "offline_access") return item;
        // Short names, as Defender for Endpoint sends "graph" in broker mode.
        const shortName = item.toLowerCase();
        if (shortName === "graph") return `${config.cloud.graph}/.default`;
        if (shortName === "arm" || shortName === "management") return `${config.cloud.arm}/.default`;
        throw new ProtocolError(
          400,
          "invalid_scope",
          `The scope "${item.slice(0, 100)}" is neither a URL scope nor a known short name (graph, arm).`,
        );
      });
    } else if (
      typeof resource === "string" &&
      resource.trim() &&
      !(app.permissions === "delegated" && sameResource(resource, app.scopes))
    ) {
      scopes = [resourceScope(resource)];
    } else {
      // Delegated tokens for the configured API use exactly the scopes the user consented to on the broker's
      // page; `.default` would ask for every delegated permission of the app.
      scopes = [...app.scopes];
    }
    if (app.permissions === "delegated" && !scopes.some((item) => item.toLowerCase() === "offline_access")) {
      scopes.push("offline_access");
    }
    return scopes.join(" ");
  };

  const entraFailure = (refusal: EntraRefusal): ProtocolError => {
    // The customer's grant is gone (expired, revoked, consent withdrawn): 400 with the OAuth error, which tells the
    // client to get new credentials. Anything else is the broker's or Microsoft's problem: 502.
    const clientSide = [
      "invalid_grant",
      "invalid_scope",
      "interaction_required",
      "consent_required",
    ].includes(refusal.error);
    return new ProtocolError(clientSide ? 400 : 502, refusal.error, refusal.message, {
      codes: refusal.codes,
    });
  };

  const obtainToken = async (
    request: IncomingMessage,
    response: ServerResponse,
    client: ClientAddress,
    context: { registration?: string; app?: string },
  ): Promise<{ status: number; outcome: string }> => {
    const address = client.address;
    const blocked = await failures.peek(address, FAILURES_PER_MINUTE);
    if (blocked) {
      throw new ProtocolError(
        429,
        "rate_limited",
        `Too many failed requests from this address; retry in ${blocked} s.`,
        {
          headers: { "Retry-After": String(blocked) },
        },
      );
    }
    const failed = async (error: ProtocolError) => {
      await failures.take(address, FAILURES_PER_MINUTE);
      return error;
    };
    const text = await readBody(request);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      throw new ProtocolError(
        400,
        "invalid_request",
        "The body must be a JSON object { app_name, registration_id, encrypted_token, scope, resource }.",
      );
    }
    for (const field of ["app_name", "registration_id", "encrypted_token"]) {
      if (typeof body[field] !== "string" || (body[field] as string).trim() === "") {
        throw new ProtocolError(400, "invalid_request", `The field ${field} is missing or not a string.`);
      }
    }
    for (const field of ["scope", "resource"]) {
      if (body[field] !== undefined && body[field] !== null && typeof body[field] !== "string") {
        throw new ProtocolError(400, "invalid_request", `The field ${field} must be a string or null.`);
      }
    }
    const appName = (body["app_name"] as string).trim();
    const registrationId = (body["registration_id"] as string).trim();
    const registration = await store.find(registrationId);
    if (!registration) {
      throw await failed(
        new ProtocolError(
          404,
          "unknown_registration",
          "No registration has this ID: check ID against what the broker's page gave, or run Start Authorization Process again.",
        ),
      );
    }
    context.registration = shortId(registration.id);
    context.app = registration.appName;
    // Failures naming a registration slow down that registration from that address only: a stranger's guesses
    // never lock out the registration's real client, which calls from elsewhere.
    const strikeKey = `${registration.id}|${address}`;
    const backoff = await strikes.blocked(strikeKey);
    if (backoff) {
      throw new ProtocolError(
        429,
        "rate_limited",
        `Too many failed requests for this registration from this address; retry in ${backoff} s.`,
        { headers: { "Retry-After": String(backoff) } },
      );
    }
    const failedFor = async (error: ProtocolError) => {
      await strikes.fail(strikeKey);
      return failed(error);
    };
    if (registration.appName !== appName) {
      throw await failedFor(
        new ProtocolError(
          400,
          "app_mismatch",
          `This registration was created for another integration than ${appName.slice(0, 100)}: use the ID, Token and Key from the page of this integration.`,
        ),
      );
    }
    const app = config.apps.get(registration.appName);
    if (!app) {
      throw new ProtocolError(
        503,
        "app_not_configured",
        `The broker no longer serves ${registration.appName}.`,
      );
    }
    let content: string;
    let issuedAt: number;
    try {
      ({ content, issuedAt } = decryptBrokerToken(body["encrypted_token"] as string, registration.key));
    } catch {
      throw await failedFor(
        new ProtocolError(
          401,
          "decryption_failed",
          "The encrypted token cannot be decrypted with this registration's key: check Key, or the data was altered on the way.",
        ),
      );
    }
    const nowSeconds = Math.floor(now() / 1000);
    if (Math.abs(nowSeconds - issuedAt) > TIMESTAMP_WINDOW_SECONDS) {
      throw await failedFor(
        new ProtocolError(
          401,
          "stale_token",
          `The encrypted token was made at ${new Date(issuedAt * 1000).toISOString()}, more than 5 minutes from the broker's clock (${new Date(nowSeconds * 1000).toISOString()}): check the clock of the machine running the integration.`,
        ),
      );
    }
    const nonce = Buffer.from(body["encrypted_token"] as string, "base64")
      .subarray(0, 12)
      .toString("base64");
    const fresh = await nonces.remember(`${registration.id}:${nonce}`);
    if (!fresh) {
      throw await failedFor(
        new ProtocolError(
          401,
          "replayed_token",
          "This encrypted token was already used: every request must be encrypted anew.",
        ),
      );
    }
    // Only requests made with the registration's Key count against its rate: others cannot use it up.
    const rate = await limiter.take(registration.id, app.rateLimitPerMinute);
    if (!rate.allowed) {
      throw new ProtocolError(
        429,
        "rate_limited",
        `Too many token requests for this registration (at most ${app.rateLimitPerMinute} a minute); retry in ${rate.retryAfterSeconds} s.`,
        { headers: { "Retry-After": String(rate.retryAfterSeconds) } },
      );
    }
    const token = app.permissions === "application" ? content.trim().toLowerCase() : content;
    const scope = resolveScope(app, body["scope"], body["resource"]);

    const issue = async () => {
      // Re-read under the lock: a request that waited may find the refresh token already rotated.
      const current: Registration | undefined =
        app.permissions === "delegated" ? await store.find(registration.id) : registration;
      if (!current || !store.verifyToken(current, token)) {
        throw await failedFor(
          new ProtocolError(
            401,
            "invalid_token",
            app.permissions === "application"
              ? "The Token does not match this registration: enter the Token the broker's page gave with this ID."
              : "The refresh token does not match this registration: it is not the latest one the broker issued (each one works once). Run the integration's auth-reset command and authorize again.",
          ),
        );
      }
      const result =
        app.permissions === "application"
          ? await requestToken(transport, config.loginHost, token, app, {
              grant_type: "client_credentials",
              scope,
            })
          : await requestToken(transport, config.loginHost, config.tenant, app, {
              grant_type: "refresh_token",
              refresh_token: token,
              scope,
            });
      if (isRefusal(result)) throw entraFailure(result);
      if (app.permissions === "delegated" && result.refreshToken) {
        if (!(await store.rotateToken(current, result.refreshToken))) {
          throw new ProtocolError(
            409,
            "conflict",
            "Another request rotated this registration's refresh token at the same time; retry.",
          );
        }
      } else {
        await store.touch(current.id);
      }
      return result;
    };
    const result = app.permissions === "delegated" ? await withLock(registration.id, issue) : await issue();
    await strikes.succeed(strikeKey);
    sendJson(response, 200, {
      access_token: result.accessToken,
      expires_in: result.expiresIn,
      ...(result.refreshToken && app.permissions === "delegated"
        ? { refresh_token: result.refreshToken }
        : {}),
    });
    return { status: 200, outcome: "issued" };
  };

  // --- routing -------------------------------------------------------------------------------------------------

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = now();
    const url = new URL(request.url ?? "/", "http://broker.invalid");
    const path = url.pathname;
    const method = request.method ?? "GET";
    const readable = method === "GET" || method === "HEAD";
    const notAllowed = (allow: string) => {
      response.writeHead(405, {
        ...commonHeaders(),
        Allow: allow,
        "Content-Type": "text/plain; charset=utf-8",
      });
      response.end("Method Not Allowed");
    };

    const client = clientAddress(request, config.trustedProxy);
    const from = { client: client.address, ...(client.problem ? { clientProblem: client.problem } : {}) };
    if (path === "/obtain-token") {
      if (method !== "POST") return notAllowed("POST");
      const context: { registration?: string; app?: string } = {};
      try {
        const done = await obtainToken(request, response, client, context);
        logger.info("obtain-token", { ...done, ...context, ...from, ms: now() - started });
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        sendJson(
          response,
          error.status,
          {
            error: error.error,
            message: error.message,
            ...(error.extra.codes?.length ? { error_codes: error.extra.codes } : {}),
          },
          error.extra.headers,
        );
        logger.info("obtain-token", {
          status: error.status,
          outcome: error.error,
          ...context,
          ...from,
          ms: now() - started,
        });
      }
      return;
    }
    if (path === "/healthz") {
      if (!readable) return notAllowed("GET, HEAD");
      return sendJson(response, 200, { status: "ok" });
    }
    if (path === "/") {
      if (!readable) return notAllowed("GET, HEAD");
      return sendPage(response, 200, (nonce) => homePage(config.apps.values(), nonce));
    }
    if (path === "/callback") {
      if (!readable) return notAllowed("GET");
      return callback(request, response, url.searchParams, client);
    }
    const match = /^\/([a-z0-9-]+)(\/start)?\/?$/.exec(path);
    const app = match ? config.apps.get(match[1]!) : undefined;
    if (app && match) {
      if (match[2]) return method === "POST" ? start(response, app) : notAllowed("POST");
      if (!readable) return notAllowed("GET, HEAD");
      return sendPage(response, 200, (nonce) => appPage(app, nonce));
    }
    sendPage(response, 404, (nonce) =>
      errorPage("Not found", "This broker serves no such page. Choose an integration from the list.", nonce),
    );
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Only the error's class reaches the log: messages of unexpected errors are not known to be free of secrets.
      logger.error("request failed", {
        client: clientAddress(request, config.trustedProxy).address,
        path: request.url?.split("?")[0],
        error: (error as Error)?.name ?? "unknown",
      });
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, 500, {
        error: "internal_error",
        message: "The broker failed to handle the request.",
      });
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolveListen();
      });
    });
  } catch (error) {
    clearInterval(sweeper);
    await store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  if (!publicUrl) publicUrl = url;
  logger.info("listening", {
    url,
    publicUrl,
    dataDir: store.database.location,
    apps: [...config.apps.keys()].join(","),
  });

  let closed: Promise<void> | undefined;
  return {
    url,
    publicUrl,
    obtainTokenUrl: `${publicUrl}/obtain-token`,
    redirectUri: `${publicUrl}/callback`,
    dataDir: store.database.location,
    apps: [...config.apps.keys()],
    async register(appName, token) {
      const app = config.apps.get(appName);
      if (!app) throw new BrokerConfigError(`apps.${appName}`, "is not configured.");
      const normalized = app.permissions === "application" ? token.trim().toLowerCase() : token;
      const created = await store.create(app.name, app.permissions, normalized);
      return {
        id: `${created.id}@${publicUrl}/obtain-token`,
        registrationId: created.id,
        token: normalized,
        key: created.key,
      };
    },
    async stats() {
      return {
        registrations: await store.countByApp(),
        pendingSignIns: await store.countPendingSignIns(now()),
      };
    },
    close() {
      closed ??= (async () => {
        clearInterval(sweeper);
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        if ("close" in transport && typeof transport.close === "function") transport.close();
        await store.close();
      })();
      return closed;
    },
  };
}

/** Whether `resource` is the API the configured scopes belong to (scheme, host and path, any case or slash). */
function sameResource(resource: string, scopes: readonly string[]): boolean {
  const normalize = (value: string) => value.trim().toLowerCase().replace(/\/+$/, "");
  const first = scopes[0] ?? "";
  const configured = first.includes("/")
    ? first.slice(0, first.lastIndexOf("/"))
    : "https://graph.microsoft.com";
  return normalize(resource) === normalize(configured);
}

/** The first block of a registration ID: enough to correlate log lines, not to use the registration. */
function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
