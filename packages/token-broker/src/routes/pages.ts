import type { BrokerApp } from "../config.js";
import { appPage, errorPage, homePage } from "../pages.js";
import type { RouteCall } from "../router.js";

/** `GET /`: the list of integrations. */
export function home({ context, response }: RouteCall): void {
  context.http.page(response, 200, (nonce) => homePage(context.config.apps.values(), nonce));
}

/** `GET /<app>`: the integration's page with its Start Authorization Process button. */
export function integration({ context, response }: RouteCall, app: BrokerApp): void {
  context.http.page(response, 200, (nonce) => appPage(app, nonce));
}

/** Any path the route table does not serve (any method): the 404 page. */
export function notFound({ context, response }: RouteCall): void {
  context.http.page(response, 404, (nonce) =>
    errorPage("Not found", "This broker serves no such page. Choose an integration from the list.", nonce),
  );
}
