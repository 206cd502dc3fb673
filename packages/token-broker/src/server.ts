/**
 * The broker's HTTP server: builds the {@link BrokerContext} the routes share, and dispatches each request by the
 * route table (routes/table.ts) to its module in routes/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clientAddress } from "./client-address.js";
import { BrokerConfigError } from "./config.js";
import { type BrokerContext, createBrokerContext, startSweeper } from "./context.js";
import type { BrokerOptions, RunningBroker } from "./options.js";
import { findRoute } from "./router.js";
import { notFound } from "./routes/pages.js";
import { BROKER_ROUTES } from "./routes/table.js";

export type { BrokerOptions, RunningBroker } from "./options.js";

/** Answers one request by the route table. */
async function dispatch(context: BrokerContext, request: IncomingMessage, response: ServerResponse) {
  const started = context.now();
  const url = new URL(request.url ?? "/", "http://broker.invalid");
  const method = request.method ?? "GET";
  const found = findRoute(BROKER_ROUTES, context.config.apps, method, url.pathname);
  if (found.kind === "method_not_allowed") return context.http.notAllowed(response, found.allow);
  const client = clientAddress(request, context.config.trustedProxy);
  const call = { context, request, response, url, client, started };
  return found.kind === "route" ? found.handler(call) : notFound(call);
}

/** The HTTP server; an unexpected error is answered 500 and logged by its class only. */
function brokerServer(context: BrokerContext): Server {
  const server = createServer((request, response) => {
    dispatch(context, request, response).catch((error: unknown) => {
      // Only the error's class reaches the log: messages of unexpected errors are not known to be free of secrets.
      context.logger.error("request failed", {
        client: clientAddress(request, context.config.trustedProxy).address,
        path: request.url?.split("?")[0],
        error: (error as Error)?.name ?? "unknown",
      });
      if (response.headersSent) {
        response.destroy();
        return;
      }
      context.http.json(response, 500, {
        error: "internal_error",
        message: "The broker failed to handle the request.",
      });
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  return server;
}

/** Listens on `port` and `host`; the URL it listens on. */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${hostPart}:${address.port}`;
}

/**
 * Starts the token broker: the pages that create registrations (Start Authorization Process → Microsoft consent →
 * ID, Token and Key) and `POST /obtain-token`, which integrations call for access tokens.
 * @throws BrokerConfigError naming the configuration field or variable at fault.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const host = options.host ?? "127.0.0.1";
  const context = await createBrokerContext(options, host);
  const { config, store, logger } = context;
  const sweeper = startSweeper(context);
  const server = brokerServer(context);
  let url: string;
  try {
    url = await listen(server, options.port ?? 0, host);
  } catch (error) {
    clearInterval(sweeper);
    await store.close();
    throw error;
  }
  if (!context.publicUrl) context.publicUrl = url;
  const publicUrl = context.publicUrl;
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
    register: (appName, token) => register(context, appName, token),
    async stats() {
      return {
        registrations: await store.countByApp(),
        pendingSignIns: await store.countPendingSignIns(context.now()),
      };
    },
    close() {
      closed ??= (async () => {
        clearInterval(sweeper);
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        const { transport } = context;
        if ("close" in transport && typeof transport.close === "function") transport.close();
        await store.close();
      })();
      return closed;
    },
  };
}

/** {@link RunningBroker.register}: a registration without the browser flow. */
async function register(context: BrokerContext, appName: string, token: string) {
  const app = context.config.apps.get(appName);
  if (!app) throw new BrokerConfigError(`apps.${appName}`, "is not configured.");
  const normalized = app.permissions === "application" ? token.trim().toLowerCase() : token;
  const created = await context.store.create(app.name, app.permissions, normalized);
  return {
    id: `${created.id}@${context.publicUrl}/obtain-token`,
    registrationId: created.id,
    token: normalized,
    key: created.key,
  };
}
