import { appRoute, exactRoute, type Route } from "../router.js";
import { callback } from "./callback.js";
import { health } from "./health.js";
import { obtainTokenRoute } from "./obtain-token.js";
import { home, integration } from "./pages.js";
import { start } from "./start.js";

const READ = ["GET", "HEAD"] as const;

/**
 * Every route of the broker, first match wins. A path a route serves, asked with another method, gets 405 with
 * `Allow`; a path no route serves (an unknown app included) gets the 404 page.
 */
export const BROKER_ROUTES: readonly Route[] = [
  exactRoute("POST /obtain-token", "/obtain-token", ["POST"], obtainTokenRoute),
  exactRoute("GET /healthz", "/healthz", READ, health),
  exactRoute("GET /", "/", READ, home),
  // HEAD is answered like GET, but the 405's Allow names only GET: Microsoft sends the browser back with a GET.
  exactRoute("GET /callback", "/callback", READ, callback, "GET"),
  appRoute("POST /<app>/start", true, ["POST"], start),
  appRoute("GET /<app>", false, READ, integration),
];
