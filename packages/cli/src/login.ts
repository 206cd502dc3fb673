import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type ContextStore, isLoopbackUrl, type Transport } from "@msint/auth-core/internal";
import { type InstanceDocument, type Integration, runCommand, UsageError } from "@msint/integration-kit";
import type { Io } from "./output.js";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

interface LoginOptions {
  timeoutSeconds: number;
  consent: boolean;
  open?: boolean;
  transport?: Transport | undefined;
}

/**
 * `msint login INSTANCE`: the Authorization Code flow without copy-paste. Prints the login URL, listens on the
 * instance's loopback redirect URI, takes the redirected code (state checked by the flow), stores it as the
 * Authorization code and runs `<prefix>-auth-test`.
 */
export async function login(
  io: Io,
  store: ContextStore<InstanceDocument>,
  document: InstanceDocument,
  integration: Integration,
  options: LoginOptions,
): Promise<void> {
  const transport = options.transport ? { transport: options.transport } : {};
  const prefix = integration.manifest.commandPrefix;
  if (!integration.manifest.flows.authorizationCode) {
    throw new UsageError(
      `${integration.manifest.displayName} does not support the Authorization Code flow, so msint login does not apply.`,
    );
  }
  const redirectUrl = loopbackRedirect(document);
  const urlResult = await runCommand(
    integration,
    `${prefix}-generate-login-url`,
    options.consent ? { consent: "true" } : {},
    { store, document, ...transport },
  );
  const loginUrl = (urlResult.outputs as { LoginUrl: string }).LoginUrl;
  const redirected = await waitForRedirect(io, redirectUrl, loginUrl, options);

  // The redirected URL (with its state) becomes the Authorization code; the flow checks the state and redeems it.
  const updated = await store.update(document.name, (current) =>
    current
      ? {
          ...current,
          params: { ...current.params, auth_code: redirected },
          updatedAt: new Date().toISOString(),
        }
      : current,
  );
  if (!updated) throw new UsageError(`The instance "${document.name}" was removed during the sign-in.`);
  const result = await runCommand(
    integration,
    `${prefix}-auth-test`,
    {},
    { store, document: updated, ...transport },
  );
  io.out(result.readable);
}

/** The instance's Application redirect URI, which msint login listens on: it must be loopback with a port. */
function loopbackRedirect(document: InstanceDocument): URL {
  const redirect = typeof document.params["redirect_uri"] === "string" ? document.params["redirect_uri"] : "";
  let redirectUrl: URL | undefined;
  try {
    redirectUrl = new URL(redirect);
  } catch {
    redirectUrl = undefined;
  }
  // Only a literal loopback address (or localhost itself) as written: a name such as app.localhost or
  // 127.0.0.1.nip.io is whatever DNS says it is.
  if (redirectUrl?.protocol !== "http:" || !isLoopbackUrl(redirect) || !redirectUrl.port) {
    throw new UsageError(
      `msint login listens on the Application redirect URI, so it must be a loopback address with a port, such as http://localhost:8400/callback (registered under Authentication > Web in the app registration). It is "${redirect || "(not set)"}".`,
    );
  }
  return redirectUrl;
}

/** How one request to the redirect URI ended: still waiting, or the sign-in settled (the redirected URL or an error). */
type RedirectOutcome = { done: false } | { done: true; url: string } | { done: true; error: Error };

/**
 * Answers one request to the redirect URI. The state this login sent is checked here: a redirect with another
 * state (an older login's, or one somebody else crafted) is not the answer to it, so msint says so on the page
 * and keeps waiting.
 */
function answerRedirect(
  io: Io,
  request: IncomingMessage,
  response: ServerResponse,
  redirectUrl: URL,
  expectedState: string | undefined,
): RedirectOutcome {
  const waiting = { done: false } as const;
  const url = new URL(request.url ?? "/", redirectUrl);
  if (url.pathname !== redirectUrl.pathname) {
    response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    return waiting;
  }
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'none'",
  };
  if (expectedState !== undefined && url.searchParams.get("state") !== expectedState) {
    response
      .writeHead(400, headers)
      .end(
        page(
          "Not this sign-in",
          "This redirect does not belong to the sign-in msint is waiting for (its state does not match), so msint ignored it and is still waiting. Sign in with the URL that msint login printed.",
        ),
      );
    io.err(
      "Ignored a redirect whose state does not match this sign-in (an older or foreign login); still waiting.",
    );
    return waiting;
  }
  const error = url.searchParams.get("error");
  if (error) {
    const description = url.searchParams.get("error_description") ?? error;
    response.writeHead(400, headers).end(page("Sign-in failed", escapeHtml(description)));
    return { done: true, error: new UsageError(`The sign-in failed: ${description.split(/\r?\n/)[0]}`) };
  }
  if (!url.searchParams.get("code")) {
    response
      .writeHead(400, headers)
      .end(page("Sign-in failed", "The redirect carried no authorization code."));
    return waiting;
  }
  response
    .writeHead(200, headers)
    .end(page("Signed in", "msint received the authorization. You can close this window."));
  return { done: true, url: url.toString() };
}

/** Listens on the redirect URI until the sign-in comes back (its URL), fails, or the timeout passes. */
function waitForRedirect(io: Io, redirectUrl: URL, loginUrl: string, options: LoginOptions): Promise<string> {
  const expectedState = new URL(loginUrl).searchParams.get("state") ?? undefined;
  return new Promise<string>((resolve, reject) => {
    const server = createServer((request, response) => {
      const outcome = answerRedirect(io, request, response, redirectUrl, expectedState);
      if (!outcome.done) return;
      if ("url" in outcome) finish(() => resolve(outcome.url));
      else finish(() => reject(outcome.error));
    });
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new UsageError(`No sign-in arrived within ${options.timeoutSeconds} s. Run msint login again.`),
          ),
        ),
      options.timeoutSeconds * 1000,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
      settle();
    };
    server.on("error", (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          new UsageError(
            `Cannot listen on ${redirectUrl.host} for the redirect (${error.code ?? error.message}). Is another msint login running?`,
          ),
        ),
      ),
    );
    server.listen(Number(redirectUrl.port), redirectUrl.hostname.replace(/^\[|\]$/g, ""), () => {
      io.out(
        `${options.open ? "Opening the sign-in page in the browser; if it does not open, open this URL" : "Open this URL in a browser"} and sign in (waiting on ${redirectUrl.origin}${redirectUrl.pathname}):\n${loginUrl}`,
      );
      if (options.open) openBrowser(loginUrl, io);
    });
  });
}

/**
 * Opens a URL in the user's browser without waiting for it: `$BROWSER` (its first command, as in the usual
 * colon-separated list) when set, else the desktop's opener (open on macOS, start on Windows, xdg-open
 * elsewhere). A failure only says so: the URL is printed anyway.
 */
export function openBrowser(url: string, io: Io, env: NodeJS.ProcessEnv = process.env): void {
  const browser = env["BROWSER"]?.split(":")[0]?.trim();
  const [command, args]: [string, string[]] = browser
    ? [browser, [url]]
    : process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", () =>
      io.err(`Could not start ${command} to open the browser: open the URL above yourself.`),
    );
    child.unref();
  } catch {
    io.err(`Could not start ${command} to open the browser: open the URL above yourself.`);
  }
}
