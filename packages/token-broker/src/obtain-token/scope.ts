import { resourceScope } from "@msint/auth-core/internal";
import type { BrokerApp, BrokerConfig } from "../config.js";
import { ProtocolError } from "../http.js";

/**
 * The scopes the broker asks Microsoft for: the requested ones (URL scopes, or the short names `graph` and
 * `arm`), else the resource's `.default`, else the app's configured scopes; delegated requests always include
 * `offline_access`.
 * @throws ProtocolError 400 `invalid_scope` for a short name the broker does not know.
 */
export function resolveScope(
  config: BrokerConfig,
  app: BrokerApp,
  scope: string | null | undefined,
  resource: string | null | undefined,
): string {
  const requested = typeof scope === "string" ? scope.trim() : "";
  let scopes: string[];
  if (requested) {
    scopes = requested.split(/\s+/).map((item) => expandShortName(config, item));
  } else if (
    typeof resource === "string" &&
    resource.trim() &&
    !(app.permissions === "delegated" && sameResource(resource, app.scopes))
  ) {
    scopes = [resourceScope(resource)];
  } else {
    // Delegated tokens for the configured API use exactly the scopes the user consented to on the broker's
    // page; `.default` would ask for every delegated permission of the app.
    scopes = [...app.scopes];
  }
  if (app.permissions === "delegated" && !scopes.some((item) => item.toLowerCase() === "offline_access")) {
    scopes.push("offline_access");
  }
  return scopes.join(" ");
}

/** A requested scope as Microsoft takes it: URL scopes and offline_access as they are, short names expanded. */
function expandShortName(config: BrokerConfig, item: string): string {
  if (/[/:]/.test(item) || item.toLowerCase() === "offline_access") return item;
  // Short names, as Defender for Endpoint sends "graph" in broker mode.
  const shortName = item.toLowerCase();
  if (shortName === "graph") return `${config.cloud.graph}/.default`;
  if (shortName === "arm" || shortName === "management") return `${config.cloud.arm}/.default`;
  throw new ProtocolError(
    400,
    "invalid_scope",
    `The scope "${item.slice(0, 100)}" is neither a URL scope nor a known short name (graph, arm).`,
  );
}

/** Whether `resource` is the API the configured scopes belong to (scheme, host and path, any case or slash). */
export function sameResource(resource: string, scopes: readonly string[]): boolean {
  const normalize = (value: string) => value.trim().toLowerCase().replace(/\/+$/, "");
  const first = scopes[0] ?? "";
  const configured = first.includes("/")
    ? first.slice(0, first.lastIndexOf("/"))
    : "https://graph.microsoft.com";
  return normalize(resource) === normalize(configured);
}
