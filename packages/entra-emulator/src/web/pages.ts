import { type Correlation, type EntraErrorSpec, entraTimestamp } from "../errors.js";
import type { Reply } from "../http.js";
import { html, htmlPage, type SafeHtml } from "./html.js";

/** An error line as Entra's pages show it: `AADSTS50126: Error validating credentials …`. */
export function errorText(spec: EntraErrorSpec): string {
  return `AADSTS${spec.code}: ${spec.message}`;
}

function errorBlock(error: string | undefined): SafeHtml {
  return error ? html`<div class="error" role="alert" id="error">${error}</div>` : html``;
}

function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** The username + password page. */
export function signInPage(options: {
  action: string;
  flowId: string;
  appName: string;
  username?: string;
  error?: string;
  /** Device flows: a Cancel button that declines the sign-in. */
  cancel?: boolean;
  formTargets?: string[];
  heading?: string;
}): Reply {
  const body = html`<h1 id="heading">${options.heading ?? "Sign in"}</h1>
<p>to continue to <strong>${options.appName}</strong></p>
${errorBlock(options.error)}
<form method="post" action="${options.action}" novalidate>
${hidden("flow", options.flowId)}
<label for="username">Email or username</label>
<input type="text" id="username" name="username" autocomplete="username" required value="${options.username ?? ""}"${options.username ? "" : html` autofocus`}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${options.username ? html` autofocus` : ""}>
<div class="buttons">
${options.cancel ? html`<button type="submit" id="cancel" name="action" value="cancel">Cancel</button>` : ""}
<button type="submit" id="signin" name="action" value="signin" class="primary">Sign in</button>
</div>
</form>`;
  return htmlPage({
    title: "Sign in to your account",
    body,
    ...(options.formTargets ? { formTargets: options.formTargets } : {}),
  });
}

/** The "Permissions requested" page. */
export function consentPage(options: {
  action: string;
  flowId: string;
  appName: string;
  userName: string;
  lines: string[];
  admin: boolean;
  formTargets?: string[];
}): Reply {
  const items = options.lines.map((line) => html`<li>${line}</li>`);
  const body = html`<p>${options.userName}</p>
<h1 id="heading">Permissions requested</h1>
<p><strong>${options.appName}</strong> would like to:</p>
<ul id="permissions">${items}</ul>
${options.admin ? html`<p>Accepting grants these permissions for all users in your organization.</p>` : ""}
<p>Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement.</p>
<form method="post" action="${options.action}">
${hidden("flow", options.flowId)}
<div class="buttons">
<button type="submit" id="cancel" name="action" value="cancel">Cancel</button>
<button type="submit" id="accept" name="action" value="accept" class="primary">Accept</button>
</div>
</form>`;
  return htmlPage({
    title: "Permissions requested",
    body,
    ...(options.formTargets ? { formTargets: options.formTargets } : {}),
  });
}

/** Device flows with an existing session: confirm the app before approving it. */
export function confirmPage(options: {
  action: string;
  flowId: string;
  appName: string;
  userName: string;
}): Reply {
  const body = html`<p>${options.userName}</p>
<h1 id="heading">Are you trying to sign in to ${options.appName}?</h1>
<p>Only continue if you downloaded the app from a store or website that you trust.</p>
<form method="post" action="${options.action}">
${hidden("flow", options.flowId)}
<div class="buttons">
<button type="submit" id="cancel" name="action" value="cancel">Cancel</button>
<button type="submit" id="continue" name="action" value="continue" class="primary">Continue</button>
</div>
</form>`;
  return htmlPage({ title: "Confirm sign-in", body });
}

/** `GET /devicelogin`: enter the code shown on the device. */
export function deviceCodePage(options: { error?: string; status?: number }): Reply {
  const body = html`<h1 id="heading">Enter code</h1>
${errorBlock(options.error)}
<form method="post" action="/devicelogin" novalidate>
<label for="otc">Enter the code displayed on your app or device.</label>
<input type="text" id="otc" name="otc" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus>
<div class="buttons">
<button type="submit" id="next" class="primary">Next</button>
</div>
</form>`;
  return htmlPage({ title: "Enter code", body, ...(options.status ? { status: options.status } : {}) });
}

/** The last page of a device flow. */
export function deviceDonePage(appName: string, declined: boolean): Reply {
  const body = declined
    ? html`<h1 id="heading">${appName}</h1>
<p id="message">You have declined to sign in to the ${appName} application on your device. You may now close this window.</p>`
    : html`<h1 id="heading">${appName}</h1>
<p id="message">You have signed in to the ${appName} application on your device. You may now close this window.</p>`;
  return htmlPage({ title: appName, body });
}

/** Entra's error page (errors that cannot be sent to a redirect URI). */
export function errorPage(spec: EntraErrorSpec, correlation: Correlation): Reply {
  const body = html`<h1 id="heading">Sorry, but we're having trouble signing you in.</h1>
<p class="error" role="alert" id="error">${errorText(spec)}</p>
<div class="details">
<p>Request Id: ${correlation.traceId}</p>
<p>Correlation Id: ${correlation.clientRequestId ?? correlation.traceId}</p>
<p>Timestamp: ${entraTimestamp(correlation.now)}</p>
</div>`;
  return htmlPage({ title: "Sign in to your account", body, status: spec.status });
}

/** `response_mode=form_post`: a page that posts the response to the redirect URI. */
export function formPostPage(
  action: string,
  fields: Record<string, string>,
  formTarget: string | undefined,
): Reply {
  const inputs = Object.entries(fields).map(([name, value]) => hidden(name, value));
  const body = html`<h1 id="heading">Working…</h1>
<form method="post" action="${action}">${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit" id="submit">Submit</button></noscript>
</form>`;
  return htmlPage({
    title: "Working...",
    body,
    script: "document.forms[0].submit();",
    ...(formTarget ? { formTargets: [formTarget] } : {}),
  });
}
