import type { BrokerApp } from "../config.js";
import { errorPage } from "../pages.js";
import type { RouteCall } from "../router.js";
import { clearFlowCookie } from "../sign-in.js";

/** The advice that ends most failure pages of the callback. */
export const START_AGAIN = "Start the authorization process again from the broker's page.";

/** What a failure page adds to its title and message. */
export interface FailureDetails {
  /** The integration, when known: the page links back to it. */
  app?: BrokerApp | undefined;
  /** Microsoft's own words, shown under the message. */
  detail?: string | undefined;
  /** The log's reason; default the title. */
  reason?: string | undefined;
}

/** Ends the callback with an error page (and a log line); nothing is created. */
export type Fail = (status: number, title: string, message: string, details?: FailureDetails) => void;

/** The {@link Fail} of one callback request: logs, clears the flow cookie, shows the error page. */
export function callbackFailure({ context, response, client }: RouteCall): Fail {
  return (status, title, message, { app, detail, reason } = {}) => {
    context.logger.info("authorization failed", {
      client: client.address,
      ...(client.problem ? { clientProblem: client.problem } : {}),
      app: app?.name,
      status,
      reason: reason ?? title,
    });
    context.http.page(
      response,
      status,
      (nonce) =>
        errorPage(title, message, nonce, {
          ...(detail ? { detail } : {}),
          ...(app ? { retryHref: `/${app.name}` } : {}),
        }),
      { "Set-Cookie": clearFlowCookie(context) },
    );
  };
}
