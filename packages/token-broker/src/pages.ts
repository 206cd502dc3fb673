import type { BrokerApp } from "./config.js";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f5f6f8; color: #1b1f24; }
main { max-width: 46rem; margin: 3rem auto; background: #fff; padding: 2rem 2.5rem; border-radius: 8px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.5rem; margin-top: 0; }
a { color: #0b5cad; }
ul.apps { padding-left: 1.2rem; line-height: 1.8; }
.kind { color: #57606a; font-size: .9rem; }
button, .button { background: #0b5cad; color: #fff; border: 0; border-radius: 4px; padding: .6rem 1.2rem;
  font-size: 1rem; cursor: pointer; }
button.copy { background: #e8eef6; color: #0b5cad; padding: .35rem .8rem; font-size: .9rem; }
.field { margin: 1rem 0; }
.field label { display: block; font-weight: 600; margin-bottom: .25rem; }
.field .row { display: flex; gap: .5rem; }
.field input { flex: 1; font-family: ui-monospace, monospace; font-size: .9rem; padding: .4rem; border: 1px solid #c9d1d9;
  border-radius: 4px; background: #f6f8fa; }
.error { border-left: 4px solid #cf222e; background: #fff5f5; padding: .75rem 1rem; }
.note { color: #57606a; font-size: .9rem; }
ol li { margin: .3rem 0; }
code { background: #f6f8fa; padding: 0 .2rem; }
`;

/** A full page with the nonce'd style (and script, when given). */
export function layout(title: string, body: string, nonce: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${script ? `<script nonce="${nonce}">${script}</script>` : ""}
</body>
</html>
`;
}

function kindText(app: BrokerApp): string {
  return app.permissions === "application"
    ? "application permissions: an administrator grants consent for the organization"
    : "delegated permissions: a user signs in";
}

/** `/`: the apps the broker serves. */
export function homePage(apps: Iterable<BrokerApp>, nonce: string): string {
  const items = [...apps]
    .map(
      (app) =>
        `<li><a href="/${escapeHtml(app.name)}">${escapeHtml(app.displayName)}</a> <span class="kind">(${escapeHtml(app.name)}, ${kindText(app)})</span></li>`,
    )
    .join("\n");
  return layout(
    "Token broker",
    `<h1>Authorize an integration</h1>
<p>Choose the integration you are configuring. You will sign in with Microsoft, consent to the permissions the
integration needs, and receive the ID, Token and Key to enter in the integration instance.</p>
<ul class="apps">
${items}
</ul>`,
    nonce,
  );
}

/** `/<app>`: the Start Authorization Process button. */
export function appPage(app: BrokerApp, nonce: string): string {
  const who =
    app.permissions === "application"
      ? "Sign in with an administrator account of your Microsoft Entra tenant and grant consent for your organization."
      : "Sign in with the account the integration should act as, and accept the requested permissions.";
  return layout(
    `${app.displayName} — authorize`,
    `<h1 id="heading">${escapeHtml(app.displayName)}</h1>
<p>${who} You must consent to all the permissions the application requests.</p>
<p class="note">Permissions: ${escapeHtml(kindText(app))}. Scopes: ${app.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(" ")}</p>
<form method="post" action="/${escapeHtml(app.name)}/start">
<button type="submit" id="start">Start Authorization Process</button>
</form>
<p><a href="/">All integrations</a></p>`,
    nonce,
  );
}

const COPY_SCRIPT = `
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select();
      document.execCommand("copy");
    }
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
}
`;

function copyField(id: string, label: string, value: string): string {
  return `<div class="field">
<label for="${id}">${label}</label>
<div class="row"><input id="${id}" type="text" readonly spellcheck="false" autocomplete="off" value="${escapeHtml(value)}">
<button type="button" class="copy" id="copy-${id}" data-copy="${id}">Copy</button></div>
</div>`;
}

/** The page after consent: ID, Token and Key, once, with the instructions of the integration's help. */
export function credentialsPage(
  app: BrokerApp,
  credentials: { id: string; token: string; key: string },
  nonce: string,
): string {
  const tokenMeaning =
    app.permissions === "application" ? "your tenant ID" : "a refresh token of the account that signed in";
  return layout(
    `${app.displayName} — ID, Token and Key`,
    `<h1 id="heading">Authorization complete</h1>
<p>${escapeHtml(app.displayName)} is authorized. These values are shown only once: copy them into the integration
instance now. They work for a single instance; anyone who has them can obtain tokens, so treat them as secrets.</p>
${copyField("id", "ID", credentials.id)}
${copyField("token", "Token", credentials.token)}
${copyField("key", "Key", credentials.key)}
<h2>Next steps</h2>
<ol id="instructions">
<li>Go back to the instance configuration and copy: <strong>ID</strong> → <em>App/client ID</em>,
<strong>Token</strong> → <em>Tenant ID</em>, <strong>Key</strong> → <em>Client Secret</em>.</li>
<li>Leave <em>Use a self-deployed Azure application</em> unchecked.</li>
<li>Click <strong>Test</strong>. The instance should be configured successfully.</li>
</ol>
<p class="note">The Token is ${tokenMeaning}; the broker keeps only a salted hash of it and never the Token itself.
The ID includes this broker's address after the <code>@</code>.</p>`,
    nonce,
    COPY_SCRIPT,
  );
}

/** A failure page: what happened, in plain words, and what to do. */
export function errorPage(
  title: string,
  message: string,
  nonce: string,
  options: { detail?: string; retryHref?: string } = {},
): string {
  return layout(
    title,
    `<h1 id="heading">${escapeHtml(title)}</h1>
<div class="error" id="error" role="alert"><p>${escapeHtml(message)}</p>${options.detail ? `<p><code>${escapeHtml(options.detail)}</code></p>` : ""}</div>
${options.retryHref ? `<p><a href="${escapeHtml(options.retryHref)}">Start the authorization process again</a></p>` : `<p><a href="/">All integrations</a></p>`}`,
    nonce,
  );
}
