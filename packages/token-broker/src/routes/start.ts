import type { BrokerApp } from "../config.js";
import type { RouteCall } from "../router.js";
import { redirectTo, redirectUri, startSignIn } from "../sign-in.js";

/**
 * `POST /<app>/start` (Start Authorization Process): delegated apps go straight to the sign-in; application apps
 * first to the admin-consent endpoint, whose answer on `/callback` starts the sign-in that proves it.
 */
export async function start({ context, response }: RouteCall, app: BrokerApp): Promise<void> {
  if (app.permissions === "delegated") return startSignIn(context, response, app, context.configuredTenantId);
  const { config } = context;
  await redirectTo(context, response, app, "consent", (state) => {
    const location = new URL(`${config.loginHost}/${encodeURIComponent(config.tenant)}/adminconsent`);
    location.searchParams.set("client_id", app.clientId);
    location.searchParams.set("redirect_uri", redirectUri(context));
    location.searchParams.set("state", state);
    return location;
  });
  context.logger.info("authorization started", { app: app.name, permissions: app.permissions });
}
