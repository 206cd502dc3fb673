import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Dispatcher } from "./dispatch.js";
import {
  demoCertificateProvider,
  flowHelpers,
  issueAccessToken,
  seedBrokerRefreshTokens,
} from "./emulator-api.js";
import { Faults } from "./faults.js";
import { FlowStore } from "./flows/store.js";
import { graphUserRoutes } from "./graph/users.js";
import { JSON_CONTENT_TYPE } from "./http.js";
import { createSigningKey } from "./jwt.js";
import { type EmulatorHandler, type ProxyHandle, startProxy } from "./proxy/proxy.js";
import { RequestLog } from "./request-log.js";
import { BUILT_IN_RESOURCES, ResourceTable } from "./resources.js";
import { compilePattern, protectedRoute, type ResourceRoute } from "./routes.js";
import { demoSeed, loadSeed } from "./seed.js";
import { BUILT_IN_SERVICES, grantDemoPermissions, serviceRoutes } from "./services/index.js";
import type { EmulatorState, FlowSettings } from "./state.js";
import type { EmulatorOptions, RunningEmulator } from "./types.js";

const TOKEN_PATH = /^\/[^/]+\/oauth2\/v2\.0\/token$/;

/** Resolve the bind address, refusing anything that is not loopback (the emulator has no real security). */
function loopbackHost(host: string | undefined): { bind: string; urlHost: string } {
  const value = (host ?? "127.0.0.1").trim();
  if (value === "localhost") return { bind: "127.0.0.1", urlHost: "127.0.0.1" };
  if (/^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value)) return { bind: value, urlHost: value };
  if (value === "::1" || value === "[::1]") return { bind: "::1", urlHost: "[::1]" };
  throw new Error(
    `Refusing to start the Entra emulator on host '${value}': it only binds to loopback addresses ` +
      "(127.0.0.1, ::1 or localhost), because it hands out tokens to anyone who asks.",
  );
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function validateLifetime(seconds: number): number {
  return positiveInteger("tokenLifetimeSeconds", seconds);
}

function flowSettings(options: EmulatorOptions): FlowSettings {
  return {
    refreshTokenReuse: options.refreshTokenReuse ?? "allow",
    refreshTokenLifetimeSeconds: positiveInteger(
      "refreshTokenLifetimeSeconds",
      options.refreshTokenLifetimeSeconds ?? 90 * 86_400,
    ),
    authorizationCodeLifetimeSeconds: positiveInteger(
      "authorizationCodeLifetimeSeconds",
      options.authorizationCodeLifetimeSeconds ?? 600,
    ),
    deviceCodeLifetimeSeconds: positiveInteger(
      "deviceCodeLifetimeSeconds",
      options.deviceCodeLifetimeSeconds ?? 900,
    ),
    deviceCodeIntervalSeconds: positiveInteger(
      "deviceCodeIntervalSeconds",
      options.deviceCodeIntervalSeconds ?? 5,
    ),
    deviceCodeSlowDown: options.deviceCodeSlowDown ?? false,
    strictAssertionReplay: options.strictAssertionReplay ?? false,
    managedIdentity: options.managedIdentity ?? true,
    managedIdentityTokenLifetimeSeconds: positiveInteger(
      "managedIdentityTokenLifetimeSeconds",
      options.managedIdentityTokenLifetimeSeconds ?? 86_399,
    ),
    identityHeader: options.identityHeader ?? randomBytes(18).toString("base64url"),
  };
}

async function createState(options: EmulatorOptions): Promise<EmulatorState> {
  const seed = loadSeed(options.seed ?? demoSeed);
  const resources = new ResourceTable();
  for (const [key, audiences] of Object.entries(BUILT_IN_RESOURCES)) resources.register(key, audiences);
  for (const [key, audiences] of Object.entries(options.resources ?? {})) resources.register(key, audiences);
  const now = options.now ?? Date.now;
  const state: EmulatorState = {
    seed,
    key: await createSigningKey(options.signingKey),
    previousKeys: [],
    resources,
    now,
    tokenLifetimeSeconds: validateLifetime(options.tokenLifetimeSeconds ?? 3599),
    clockSkewSeconds: options.clockSkewSeconds ?? 300,
    origin: "",
    settings: flowSettings(options),
    store: new FlowStore(now),
    demoCertificate: demoCertificateProvider(seed),
  };
  seedBrokerRefreshTokens(state);
  return state;
}

function listen(server: Server, port: number, bind: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, bind, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function httpServer(handler: EmulatorHandler): Server {
  const server = createServer((req, res) => handler(req, res, { secure: false }));
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

function addRouteTo(state: EmulatorState, customRoutes: ResourceRoute[]): RunningEmulator["addRoute"] {
  return (method, pathPattern, spec, handler) => {
    if (!state.resources.byKey(spec.resource)) {
      throw new Error(`addRoute: unknown resource '${spec.resource}'; call registerResource first`);
    }
    const entry: ResourceRoute = {
      method: method.toUpperCase(),
      pattern: compilePattern(pathPattern),
      resourceKey: spec.resource,
      handler: protectedRoute(spec, handler),
    };
    customRoutes.push(entry);
    return () => {
      const index = customRoutes.indexOf(entry);
      if (index >= 0) customRoutes.splice(index, 1);
    };
  };
}

/**
 * Start the emulator: an HTTP server on loopback speaking the Microsoft identity platform (v2) token, authorize,
 * device-code, discovery and JWKS endpoints, the sign-in pages, managed-identity endpoints, an XSOAR broker double,
 * Microsoft Graph user doubles and any doubles added with `addRoute`; with `proxy: true`, also an HTTPS-terminating
 * proxy for the Microsoft cloud host names.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { bind, urlHost } = loopbackHost(options.host);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0..65535, got ${port}`);
  const state = await createState(options);
  const log = new RequestLog(options.requestLogLimit ?? 10_000, options.onRequest);
  const faults = new Faults();
  const customRoutes: ResourceRoute[] = [];
  const services = options.services === false ? [] : BUILT_IN_SERVICES;
  for (const service of services) {
    state.resources.registerBuiltIn(service.key, service.audiences, {
      ...(service.dialect ? { dialect: service.dialect } : {}),
      ...(service.challenge ? { challenge: service.challenge } : {}),
    });
  }
  if (options.seed === undefined) grantDemoPermissions(state.seed, services);
  const dispatcher = new Dispatcher(state, log, faults, customRoutes, [
    ...graphUserRoutes(),
    ...serviceRoutes(services),
  ]);
  const handler: EmulatorHandler = (req, res, via) => {
    dispatcher.handle(req, res, via).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": JSON_CONTENT_TYPE });
        res.end('{"error":{"code":"InternalServerError","message":"The emulator failed to answer."}}');
      }
    });
  };
  const server = httpServer(handler);
  const actualPort = await listen(server, port, bind);
  const url = `http://${urlHost}:${actualPort}`;
  state.origin = url;
  // An instance whose Custom cloud points its Graph root at the emulator requests `<url>/.default`.
  state.resources.register("graph", [url]);
  let proxy: ProxyHandle | undefined;
  try {
    if (options.proxy) {
      const authorities = new Set([`${urlHost}:${actualPort}`, `localhost:${actualPort}`]);
      proxy = await startProxy({ bindHost: bind, urlHost, emulatorAuthorities: authorities, handler });
    }
  } catch (error) {
    server.close();
    throw error;
  }
  let closed = false;
  const emulator: RunningEmulator = {
    url,
    port: actualPort,
    seed: state.seed,
    requests: log.entries,
    clearRequests: () => log.clear(),
    tokenRequests: () => log.entries.filter((entry) => TOKEN_PATH.test(entry.path)),
    faults,
    setTokenLifetime: (seconds) => {
      state.tokenLifetimeSeconds = validateLifetime(seconds);
    },
    registerResource: (key, audiences, resourceOptions) =>
      state.resources.register(key, audiences, resourceOptions),
    addRoute: addRouteTo(state, customRoutes),
    issueAccessToken: (parameters) => issueAccessToken(state, parameters),
    rotateSigningKey: async (signingKey) => {
      const next = await createSigningKey(signingKey);
      state.previousKeys.unshift(state.key);
      state.key = next;
      return next.kid;
    },
    signingKeyId: () => state.key.kid,
    get demoCertificate() {
      return state.demoCertificate();
    },
    identityHeader: state.settings.identityHeader,
    ...(proxy ? { proxyUrl: proxy.url, caCertPem: proxy.caCertPem, caCertFile: proxy.caCertFile } : {}),
    ...flowHelpers(state),
    close: async () => {
      if (closed) return;
      closed = true;
      dispatcher.close();
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        proxy?.close(),
      ]);
    },
  };
  return emulator;
}
