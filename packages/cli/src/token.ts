import { getRedactor } from "@msint/auth-core";
import { getInstanceToken, UsageError } from "@msint/integration-kit";
import { requireInstance, requireIntegration } from "./instances.js";
import { limitsFromEnv, transportFor, withDeadline } from "./limits.js";
import type { Io } from "./output.js";
import { registerSecrets } from "./secrets.js";
import { openStore } from "./store.js";

/** Options of `msint token`. */
export interface TokenOptions {
  instance: string;
  resource?: string;
  scope?: string[];
  json?: boolean;
}

function checkResource(resource: string): void {
  let url: URL | undefined;
  try {
    url = new URL(resource);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash) {
    throw new UsageError(
      `--resource takes the resource's URL, such as https://management.azure.com or https://vault.azure.net, not "${resource.slice(0, 80)}".`,
    );
  }
}

/**
 * `msint token --instance NAME [--resource URL | --scope S …] [--json]`, like `az account get-access-token`:
 * an access token of the instance from its cache (the same single-flight as `msint run`), fetched when none is
 * usable. Without --json the token alone goes to standard output, for `$(msint token …)`; with --json the fields
 * of az: accessToken, expiresOn (ISO 8601), expires_on (epoch seconds), tenant, tokenType. The token is
 * registered with the redactor before anything else is printed, so debug logs never show it.
 */
export async function tokenAction(io: Io, options: TokenOptions): Promise<void> {
  const scopes = (options.scope ?? []).flatMap((scope) => scope.split(/\s+/)).filter(Boolean);
  if (options.resource && scopes.length > 0) {
    throw new UsageError("Give --resource or --scope, not both (--resource R means --scope R/.default).");
  }
  if (options.resource) checkResource(options.resource);
  const limits = limitsFromEnv();
  const token = await withDeadline(
    async () => {
      const store = await openStore();
      const document = await requireInstance(store, options.instance);
      const integration = await requireIntegration(document.integration);
      registerSecrets(integration, document);
      const transport = transportFor(integration, document, limits);
      return getInstanceToken(integration, {
        store,
        document,
        ...(options.resource ? { resource: options.resource } : {}),
        ...(scopes.length ? { scopes } : {}),
        ...(transport ? { transport } : {}),
      });
    },
    limits.deadlineMs,
    "msint token",
  );
  getRedactor().add(token.accessToken);
  if (!options.json) {
    io.out(token.accessToken);
    return;
  }
  // Whole seconds, as az prints them; both fields name the same instant.
  const expiresOnSeconds = Math.floor(token.expiresOn / 1000);
  io.out(
    JSON.stringify(
      {
        accessToken: token.accessToken,
        expiresOn: new Date(expiresOnSeconds * 1000).toISOString(),
        expires_on: expiresOnSeconds,
        tenant: token.tenant ?? null,
        tokenType: token.tokenType,
      },
      null,
      2,
    ),
  );
}
