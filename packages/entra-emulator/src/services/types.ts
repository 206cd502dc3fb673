import type { ErrorDialect, RouteHandler, ServiceAuthenticator } from "../types.js";

/** One route of an emulated service: a path pattern (`:name` captures, trailing `*`), its authorization, its answer. */
export interface ServiceRoute {
  method: string;
  /** Path pattern, e.g. `/api/machines/:id`. */
  path: string;
  /**
   * Application roles, any one of which an app-only token must carry (403 otherwise, in the service's error shape).
   * With neither `roles` nor `scopes`, any valid token for the service passes (Azure RBAC services).
   */
  roles?: readonly string[];
  /** Delegated scopes, any one of which a user's token must carry. */
  scopes?: readonly string[];
  handler: RouteHandler;
}

/**
 * A Microsoft API the emulator serves with seeded data: its token audiences, the host names it answers on (through
 * the proxy or a forwarding harness; on the emulator's own address its routes match by path), and its routes.
 */
export interface EmulatedService {
  /** Resource key: grants in the seed (`grants: { [key]: roles }`) and `issueAccessToken` use it. */
  key: string;
  /** What the banner and `--log` call it. */
  displayName: string;
  /** Token audiences (App ID URIs and app IDs) in every cloud it exists in. */
  audiences: readonly string[];
  /** The error-body shape of the service (`graph` or `azure`, the default). */
  dialect?: ErrorDialect;
  /** Key Vault's `WWW-Authenticate` challenge on a 401 (see `ResourceOptions.challenge`). */
  challenge?: { resource: string; tenantId?: string };
  /** Host names it answers on (matched against the host the client addressed). */
  hosts: RegExp;
  /** Application roles the demo apps and managed identities hold for it, so every command works out of the box. */
  demoRoles?: readonly string[];
  /** Delegated permissions the demo apps are configured with (what a user's `.default` token carries). */
  demoScopes?: readonly string[];
  /**
   * Answers only on its `hosts`, never by path on the emulator's own address (a service whose clients always
   * address an account host, such as Azure Storage's `<account>.blob.core.windows.net`).
   */
  hostsOnly?: boolean;
  /** Authentication of its own instead of the bearer-token check (see `ProtectedRouteSpec.authenticate`). */
  authenticate?: ServiceAuthenticator;
  /** Its routes over a fresh copy of its seeded data: called once per emulator. */
  routes(): ServiceRoute[];
}
