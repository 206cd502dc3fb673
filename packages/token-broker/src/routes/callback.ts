import { cleanAadstsDescription } from "@msint/auth-core/internal";
import type { BrokerApp } from "../config.js";
import type { PendingOutcome, PendingSignIn } from "../database.js";
import { cookieValue } from "../http.js";
import type { RouteCall } from "../router.js";
import { FLOW_COOKIE } from "../sign-in.js";
import { continueAfterConsent } from "./admin-consent.js";
import { callbackFailure, type Fail, START_AGAIN } from "./callback-failure.js";
import { completeSignIn } from "./sign-in-complete.js";

/**
 * `GET /callback`: where Microsoft sends the browser back, after the admin consent (application apps) or the
 * sign-in. The state must name a pending step of this broker, unused, unexpired, started in this browser.
 */
export async function callback(call: RouteCall): Promise<void> {
  const fail = callbackFailure(call);
  const taken = await takePending(call, fail);
  if (!taken) return;
  const { pending, app } = taken;
  if (refusedByMicrosoft(call, app, fail)) return;
  if (pending.step === "consent") return continueAfterConsent(call, app, fail);
  return completeSignIn(call, app, pending, fail);
}

/** A failure page's title and message, and the log's reason. */
interface Unusable {
  title: string;
  message: string;
  reason: string;
}

/** Why a state that names a step of this broker cannot be used, as the error page says it. */
const UNUSABLE: Record<
  Exclude<PendingOutcome["status"], "ok" | "unknown">,
  (publicUrl: string) => Unusable
> = {
  used: () => ({
    title: "This authorization response was already used",
    message: "Each authorization process gives one ID, Token and Key. Start again to get new ones.",
    reason: "replayed state",
  }),
  expired: () => ({
    title: "The authorization process expired",
    message: "More than 15 minutes passed since it started. Start it again.",
    reason: "expired state",
  }),
  browser: (publicUrl) => ({
    title: "The authorization process was started in another browser",
    message: `Finish it in the browser window where you clicked Start Authorization Process (with cookies allowed for ${publicUrl}), or start again here.`,
    reason: "missing or wrong browser cookie",
  }),
};

/** Takes the pending step the `state` names (once), or fails. */
async function takePending(
  { context, request, url }: RouteCall,
  fail: Fail,
): Promise<{ pending: PendingSignIn; app: BrokerApp } | undefined> {
  const taken = await context.store.takePendingSignIn(
    url.searchParams.get("state") ?? "",
    cookieValue(request.headers.cookie, FLOW_COOKIE),
    context.now(),
  );
  if (taken.status === "unknown") {
    fail(
      400,
      "This authorization response is not valid",
      `It does not belong to an authorization process started on this broker, or it was altered. ${START_AGAIN}`,
      { reason: "unknown state" },
    );
    return undefined;
  }
  const app = context.config.apps.get(taken.status === "ok" ? taken.pending.appName : taken.appName);
  if (!app) {
    fail(400, "Unknown integration", "This integration is no longer served by this broker.");
    return undefined;
  }
  if (taken.status !== "ok") {
    const { title, message, reason } = UNUSABLE[taken.status](context.publicUrl);
    fail(400, title, message, { app, reason });
    return undefined;
  }
  return { pending: taken.pending, app };
}

/** Answers an `error` Microsoft returned (consent declined, sign-in failed); true when there was one. */
function refusedByMicrosoft({ url }: RouteCall, app: BrokerApp, fail: Fail): boolean {
  const error = url.searchParams.get("error");
  if (!error) return false;
  const cleaned = cleanAadstsDescription((url.searchParams.get("error_description") ?? "").slice(0, 1000));
  const text = `${cleaned.code !== undefined ? `AADSTS${cleaned.code}: ` : ""}${cleaned.description || error}`;
  const declined = error === "access_denied" || cleaned.code === 65004;
  fail(
    400,
    declined ? "Consent was declined" : "Microsoft refused the authorization",
    declined
      ? `The permissions were not granted, so no credentials were created. ${app.permissions === "application" ? "An administrator of the tenant must accept the permissions for the organization." : "Accept the requested permissions to continue."}`
      : "Microsoft Entra ID ended the sign-in with an error; nothing was created.",
    { app, detail: `${error}: ${text.slice(0, 300)}` },
  );
  return true;
}
