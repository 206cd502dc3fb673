import { type Correlation, type EntraErrorSpec, entraDescription } from "../errors.js";
import type { InteractionFlow } from "../flows/store.js";
import type { Reply } from "../http.js";
import { cspSource } from "./html.js";
import { formPostPage } from "./pages.js";

/**
 * Send parameters to the client's redirect URI: a 302 with them in the query (default) or fragment, or an
 * auto-submitting form for `response_mode=form_post`. `state` is added when the request had one.
 */
export function respondToClient(
  flow: InteractionFlow,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Reply {
  const redirectUri = flow.redirectUri ?? "";
  const fields = { ...params, ...(flow.state !== undefined ? { state: flow.state } : {}) };
  if (flow.responseMode === "form_post") {
    const page = formPostPage(redirectUri, fields, cspSource(redirectUri));
    return { ...page, headers: { ...page.headers, ...headers } };
  }
  const encoded = new URLSearchParams(fields).toString();
  const location =
    flow.responseMode === "fragment"
      ? `${redirectUri.split("#")[0]}#${encoded}`
      : `${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${encoded}`;
  return { status: 302, headers: { location, "cache-control": "no-store, no-cache", ...headers }, body: "" };
}

/** Send an error to the redirect URI (`error`, `error_description` with Entra's trace lines, `error_subcode`). */
export function redirectError(
  flow: InteractionFlow,
  spec: EntraErrorSpec,
  correlation: Correlation,
  subcode?: string,
): Reply {
  return respondToClient(flow, {
    error: spec.error,
    ...(subcode ? { error_subcode: subcode } : {}),
    error_description: entraDescription(spec, correlation),
  });
}
