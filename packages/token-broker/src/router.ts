import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClientAddress } from "./client-address.js";
import type { BrokerApp } from "./config.js";
import type { BrokerContext } from "./context.js";

/** One request, as a route handler receives it. */
export interface RouteCall {
  readonly context: BrokerContext;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** Who sent it (the trusted proxy's header when configured). */
  readonly client: ClientAddress;
  /** When the broker received it, epoch ms (for the duration in the log). */
  readonly started: number;
}

/** Answers one request. */
export type RouteHandler = (call: RouteCall) => Promise<void> | void;

/** A line of the route table: which paths it serves, with which methods. */
export interface Route {
  /** For logs and tests, e.g. `GET /callback`. */
  readonly name: string;
  /** The methods it answers; a matching path with another method gets 405. */
  readonly methods: readonly string[];
  /** The `Allow` header of that 405; default the methods. */
  readonly allow?: string;
  /** The handler for `path`, or undefined when the route does not serve it. */
  resolve(path: string, apps: ReadonlyMap<string, BrokerApp>): RouteHandler | undefined;
}

/** What the table says of a request. */
export type RouteMatch =
  | { kind: "route"; route: Route; handler: RouteHandler }
  | { kind: "method_not_allowed"; route: Route; allow: string }
  | { kind: "not_found" };

/** A route serving exactly `path`; `allow` overrides the `Allow` header of its 405. */
export function exactRoute(
  name: string,
  path: string,
  methods: readonly string[],
  handler: RouteHandler,
  allow?: string,
): Route {
  return {
    name,
    methods,
    ...(allow === undefined ? {} : { allow }),
    resolve: (candidate) => (candidate === path ? handler : undefined),
  };
}

/** `/<app>`, `/<app>/`, `/<app>/start`, `/<app>/start/`: the app's name, and whether `/start` follows. */
const APP_PATH = /^\/([a-z0-9-]+)(\/start)?\/?$/;

/** A route serving `/<app>` (or `/<app>/start` when `start`) for every configured app; others are not found. */
export function appRoute(
  name: string,
  start: boolean,
  methods: readonly string[],
  handler: (call: RouteCall, app: BrokerApp) => Promise<void> | void,
): Route {
  return {
    name,
    methods,
    resolve(path, apps) {
      const match = APP_PATH.exec(path);
      if (!match || Boolean(match[2]) !== start) return undefined;
      const app = apps.get(match[1]!);
      return app ? (call) => handler(call, app) : undefined;
    },
  };
}

/** The first route of `table` serving `path`, and whether it takes `method`. */
export function findRoute(
  table: readonly Route[],
  apps: ReadonlyMap<string, BrokerApp>,
  method: string,
  path: string,
): RouteMatch {
  for (const route of table) {
    const handler = route.resolve(path, apps);
    if (!handler) continue;
    if (!route.methods.includes(method)) {
      return { kind: "method_not_allowed", route, allow: route.allow ?? route.methods.join(", ") };
    }
    return { kind: "route", route, handler };
  }
  return { kind: "not_found" };
}
