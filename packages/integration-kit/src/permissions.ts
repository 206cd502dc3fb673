import { brandErrorClass, formatCommand, MsintError } from "@msint/auth-core/internal";
import type {
  CommandDefinition,
  IntegrationManifest,
  PermissionSpec,
  ResourceDefinition,
} from "./manifest.js";
import { generatedName } from "./names.js";

/** What an access token grants, read from its claims (no signature check: only for diagnosis). */
export interface GrantedPermissions {
  /** `application`: an app-only token (`roles`); `delegated`: a user's token (`scp`). */
  kind: "application" | "delegated";
  /** The app roles or delegated scopes, as the token lists them. */
  granted: readonly string[];
  /** The token's audience, when it has one. */
  audience?: string;
}

/** Decodes a JWT's payload; undefined when the token is not a JWT (an opaque token, a SAS signature). */
export function readTokenClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return claims !== null && typeof claims === "object" && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The permissions an access token carries: delegated scopes (`scp`, space-separated) for a user's token, app roles
 * (`roles`) otherwise. Undefined for a token that is not a JWT. Only names made of the characters permission
 * names use are kept: the claims come from outside and are printed.
 */
export function grantedPermissions(token: string): GrantedPermissions | undefined {
  const claims = readTokenClaims(token);
  if (!claims) return undefined;
  const safe = (value: unknown): value is string =>
    typeof value === "string" && /^[A-Za-z0-9._:/-]{1,120}$/.test(value);
  const audience = safe(claims["aud"]) ? { audience: claims["aud"] } : {};
  if (typeof claims["scp"] === "string") {
    return { kind: "delegated", granted: claims["scp"].split(" ").filter(safe), ...audience };
  }
  const roles = Array.isArray(claims["roles"]) ? claims["roles"].filter(safe) : [];
  return { kind: "application", granted: roles, ...audience };
}

/** A command's declared permissions as a list (one entry per resource it calls). */
export function permissionsOf(
  definition: Pick<CommandDefinition, "permissions"> | undefined,
): PermissionSpec[] {
  const declared = definition?.permissions;
  if (!declared) return [];
  return Array.isArray(declared) ? [...declared] : [declared as PermissionSpec];
}

/** The permissions `<prefix>-test` needs: the manifest's `testPermissions`, else its resources' probes'. */
export function testPermissions(manifest: IntegrationManifest): PermissionSpec[] {
  if (manifest.testPermissions) return permissionsOf({ permissions: manifest.testPermissions });
  const specs: PermissionSpec[] = [];
  const resources: Array<[string | undefined, ResourceDefinition]> = [
    [undefined, manifest.resource],
    ...Object.entries(manifest.additionalResources ?? {}),
  ];
  for (const [key, resource] of resources) {
    const spec = resource.probe?.permissions;
    if (spec) specs.push(key === undefined ? spec : { ...spec, resource: key });
  }
  return specs;
}

/** The permissions of `spec` a token of this kind would carry (roles or scopes); empty when none apply. */
function listFor(spec: PermissionSpec, kind: GrantedPermissions["kind"]): readonly string[] {
  return (kind === "application" ? spec.application : spec.delegated) ?? [];
}

/** Whether the token satisfies `spec` (any one listed permission suffices; nothing to check → true). */
export function satisfies(spec: PermissionSpec, granted: GrantedPermissions): boolean {
  const wanted = listFor(spec, granted.kind);
  if (wanted.length === 0) return true;
  const have = new Set(granted.granted.map((name) => name.toLowerCase()));
  return wanted.some((name) => have.has(name.toLowerCase()));
}

/** "User.Read.All (or Directory.Read.All)" for a spec and a token kind. */
export function describeSpec(spec: PermissionSpec, kind: GrantedPermissions["kind"]): string {
  const wanted = listFor(spec, kind);
  if (wanted.length === 0) return "";
  return wanted.length === 1 ? wanted[0]! : `${wanted[0]} (or ${wanted.slice(1).join(", or ")})`;
}

/** The API under which a resource's permissions are listed in the app registration (e.g. "WindowsDefenderATP"). */
export function permissionsApiName(manifest: IntegrationManifest, resourceKey?: string): string {
  const resource =
    resourceKey === undefined
      ? manifest.resource
      : (manifest.additionalResources?.[resourceKey] ?? manifest.resource);
  return resource.permissionsApi ?? resource.displayName;
}

/** Where a missing permission is added, and what to run afterwards. */
export function grantAdvice(
  manifest: IntegrationManifest,
  kind: GrantedPermissions["kind"],
  resourceKey?: string,
): string {
  const type = kind === "application" ? "Application permissions" : "Delegated permissions";
  return (
    `Add it in the Azure portal: App registrations → your app → API permissions → Add a permission → ` +
    `${permissionsApiName(manifest, resourceKey)} → ${type}, then Grant admin consent. ` +
    `Then run ${formatCommand(generatedName(manifest, "auth-reset"))} and ${formatCommand(generatedName(manifest, "auth-test"))}` +
    (kind === "delegated" ? " (sign in again: a user's token keeps the scopes it was issued with)." : ".")
  );
}

/** Thrown by `-auth-test` and `-test` when the token lacks a permission the test call needs. */
export class MissingPermissionError extends MsintError {
  override name = "MissingPermissionError";

  static {
    brandErrorClass(MissingPermissionError, "MissingPermissionError");
  }

  constructor(message: string) {
    super(message, { code: "missing_permission" });
  }
}

/** The result of comparing a token with what the integration's commands declare. */
export interface PermissionReport {
  /** Lines for the command's output (granted, needed by the test, missing for other commands, RBAC notes). */
  lines: string[];
  /** The test's permissions the token lacks (main resource only: its token is the one inspected). */
  missingForTest: PermissionSpec[];
}

function commandsMissing(
  manifest: IntegrationManifest,
  granted: GrantedPermissions,
): Array<{ command: string; needs: string }> {
  const missing: Array<{ command: string; needs: string }> = [];
  for (const [name, definition] of Object.entries(manifest.commands)) {
    for (const spec of permissionsOf(definition)) {
      if (spec.resource !== undefined) continue;
      if (!satisfies(spec, granted)) missing.push({ command: name, needs: describeSpec(spec, granted.kind) });
    }
  }
  return missing;
}

/** Azure RBAC roles the integration's main-resource commands declare (not in any token). */
function rbacRoles(manifest: IntegrationManifest): string[] {
  const roles = new Set<string>();
  for (const spec of [
    ...testPermissions(manifest),
    ...Object.values(manifest.commands).flatMap(permissionsOf),
  ]) {
    for (const role of spec.rbac ?? []) roles.add(role);
  }
  return [...roles];
}

/**
 * Compares the main resource's access token with the permissions the test and every command declare. A token that
 * is not a JWT cannot be inspected: said, never a failure.
 */
export function permissionReport(manifest: IntegrationManifest, token: string | undefined): PermissionReport {
  const lines: string[] = [];
  const rbac = rbacRoles(manifest);
  const rbacLine =
    rbac.length > 0
      ? `Azure RBAC (checked by the service, not in the token): the identity needs ${rbac.join(", or ")} on the resource.`
      : undefined;
  const granted = token === undefined ? undefined : grantedPermissions(token);
  if (!granted) {
    if (token !== undefined)
      lines.push("The access token is not a JWT, so its permissions cannot be inspected.");
    if (rbacLine) lines.push(rbacLine);
    return { lines, missingForTest: [] };
  }
  const label = granted.kind === "application" ? "Application (roles)" : "Delegated (scp)";
  lines.push(`Granted in the token, ${label}: ${granted.granted.join(", ") || "none"}.`);
  const forTest = testPermissions(manifest).filter((spec) => spec.resource === undefined);
  const missingForTest = forTest.filter((spec) => !satisfies(spec, granted));
  const needed = forTest.map((spec) => describeSpec(spec, granted.kind)).filter(Boolean);
  if (needed.length > 0) {
    const state = missingForTest.length === 0 ? "granted" : "MISSING";
    lines.push(`Needed by ${generatedName(manifest, "test")}: ${needed.join("; ")} (${state}).`);
  }
  const missing = commandsMissing(manifest, granted);
  if (missing.length > 0) {
    lines.push(
      `⚠️ Missing for ${missing.length} command${missing.length === 1 ? "" : "s"} (they will answer 403 until granted):`,
      ...missing.map((entry) => `- ${entry.command}: ${entry.needs}`),
    );
  }
  if (rbacLine) lines.push(rbacLine);
  return { lines, missingForTest };
}

/** The error `-auth-test` / `-test` raise when the token lacks the test's permission. */
export function missingPermissionError(
  manifest: IntegrationManifest,
  token: string,
  report: PermissionReport,
): MissingPermissionError {
  const granted = grantedPermissions(token)!;
  const names = report.missingForTest.map((spec) => describeSpec(spec, granted.kind)).join("; ");
  const type = granted.kind === "application" ? "application permission" : "delegated permission";
  return new MissingPermissionError(
    [
      `The access token lacks the ${type} ${names}, which ${generatedName(manifest, "test")} needs to call ${manifest.resource.displayName}.`,
      grantAdvice(manifest, granted.kind),
      ...report.lines,
    ].join("\n"),
  );
}

/** The sentence a 403 of a command adds: the permissions that command declares and where to add them. */
export function forbiddenAdvice(manifest: IntegrationManifest, command: string): string | undefined {
  const specs = permissionsOf(manifest.commands[command]);
  if (specs.length === 0) return undefined;
  const parts: string[] = [];
  for (const spec of specs) {
    const where = spec.resource === undefined ? "" : ` (${permissionsApiName(manifest, spec.resource)})`;
    if (spec.application?.length)
      parts.push(`application permission ${describeSpec(spec, "application")}${where}`);
    if (spec.delegated?.length) parts.push(`delegated permission ${describeSpec(spec, "delegated")}${where}`);
    if (spec.rbac?.length) parts.push(`Azure role ${spec.rbac.join(", or ")}${where}`);
  }
  return `${command} needs: ${parts.join("; ")}. Add it to the app registration (API permissions, then Grant admin consent) or assign the role, then run ${formatCommand(generatedName(manifest, "auth-reset"))}.`;
}
