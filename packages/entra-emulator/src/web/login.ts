import { createHash, timingSafeEqual } from "node:crypto";
import { flowErrors } from "../aadsts-flows.js";
import type { EntraErrorSpec } from "../errors.js";
import type { InteractionFlow } from "../flows/store.js";
import { isFormContentType, type Reply } from "../http.js";
import { findTenant, findUser, findUserAnywhere, tenantName } from "../state.js";
import type { SeedTenant, SeedUser } from "../types.js";
import { advance, decline, type PageContext, recordConsent, showSignIn } from "./interaction.js";
import { errorPage, errorText } from "./pages.js";
import { sessionCookie } from "./session.js";

function formOf(context: PageContext): URLSearchParams {
  const { request } = context;
  if (!isFormContentType(request.headers["content-type"])) return new URLSearchParams();
  return new URLSearchParams(request.body.toString("utf8"));
}

function samePassword(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** The flow a page form belongs to, or Entra's "session no longer valid" page. */
function flowOf(context: PageContext, form: URLSearchParams): InteractionFlow | Reply {
  const flow = context.state.store.interactions.get(form.get("flow") ?? "");
  if (context.request.method !== "POST" || !flow) {
    return errorPage(flowErrors.flowExpired(), context.request.correlation);
  }
  return flow;
}

/**
 * Check a username and password: the user must exist in the flow's tenant (AADSTS50034), the password match
 * (50126), the account be enabled (50057), and, for admin consent, be an administrator (90094).
 */
function authenticateUser(
  context: PageContext,
  flow: InteractionFlow,
  username: string,
  password: string,
): { tenant: SeedTenant; user: SeedUser } | EntraErrorSpec {
  const fixed = flow.tenantId ? findTenant(context.state.seed, flow.tenantId) : undefined;
  const user = fixed && findUser(fixed, username);
  const found = fixed
    ? user
      ? { tenant: fixed, user }
      : undefined
    : findUserAnywhere(context.state.seed, username);
  if (!found || found.user.userPrincipalName.toLowerCase() !== username.toLowerCase()) {
    return flowErrors.userNotInTenant(fixed ? tenantName(fixed) : (username.split("@")[1] ?? username));
  }
  if (!found.user.password || !samePassword(password, found.user.password))
    return flowErrors.invalidCredentials();
  if (found.user.accountEnabled === false) return flowErrors.userDisabled();
  if (flow.kind === "adminconsent" && !found.user.isAdmin) return flowErrors.adminRequired();
  return found;
}

/** `POST /{tenant}/login`: the sign-in form (and the device flow's Continue / Cancel). */
export function handleLoginPost(context: PageContext): Reply {
  const form = formOf(context);
  const flow = flowOf(context, form);
  if (!("kind" in flow)) return flow;
  const action = form.get("action") ?? "signin";
  if (action === "cancel") return decline(context, flow);
  if (action === "continue" && flow.userId) {
    flow.confirmed = true;
    return advance(context, flow);
  }
  const username = (form.get("username") ?? "").trim();
  const result = authenticateUser(context, flow, username, form.get("password") ?? "");
  if ("code" in result) return showSignIn(context, flow, errorText(result), username);
  Object.assign(flow, {
    userId: result.user.id,
    userTenantId: result.tenant.id,
    passwordChecked: true,
    confirmed: true,
  });
  return advance(context, flow, {
    "set-cookie": sessionCookie(context.state, context.request, result.tenant, result.user),
  });
}

/** `POST /{tenant}/consent`: Accept records the consent and continues; Cancel declines. */
export function handleConsentPost(context: PageContext): Reply {
  const form = formOf(context);
  const flow = flowOf(context, form);
  if (!("kind" in flow)) return flow;
  if (!flow.userId) return errorPage(flowErrors.flowExpired(), context.request.correlation);
  if (form.get("action") !== "accept") return decline(context, flow);
  const failure = recordConsent(context, flow);
  if (failure) return errorPage(failure.spec, context.request.correlation);
  return advance(context, flow);
}
