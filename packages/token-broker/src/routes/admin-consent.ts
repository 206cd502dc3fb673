import type { BrokerApp } from "../config.js";
import { GUID } from "../context.js";
import type { RouteCall } from "../router.js";
import { startSignIn } from "../sign-in.js";
import type { Fail } from "./callback-failure.js";

/**
 * The callback of the admin-consent step (application permissions). The redirect comes through the browser: it
 * is not proof of anything. Its tenant only says where the sign-in that proves the consent happens.
 */
export async function continueAfterConsent(
  { context, response, url }: RouteCall,
  app: BrokerApp,
  fail: Fail,
): Promise<void> {
  const query = url.searchParams;
  const tenant = query.get("tenant") ?? "";
  if ((query.get("admin_consent") ?? "").toLowerCase() !== "true" || !GUID.test(tenant)) {
    return fail(
      400,
      "Consent was not granted",
      "Microsoft did not confirm admin consent for a tenant. Start again and accept the permissions as an administrator.",
      { app },
    );
  }
  return startSignIn(context, response, app, tenant.toLowerCase());
}
