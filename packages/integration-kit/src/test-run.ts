import { ApiError, formatCommand, MsintError } from "@msint/auth-core/internal";
import type { CommandContext, IntegrationManifest, ResourceDefinition } from "./manifest.js";
import { generatedName } from "./names.js";
import { describeSpec, grantAdvice, testPermissions } from "./permissions.js";

/** One answer `<prefix>-test` got: which resource, which request (no query: it may hold a SAS signature). */
export interface ReachedRequest {
  /** The additional resource's key; `""` for the main resource. */
  resource: string;
  method: string;
  /** Host and path, without the query. */
  target: string;
  status: number;
}

/** The integration's resources by key (`""` is the main one), in declaration order. */
export function resourcesOf(manifest: IntegrationManifest): Array<[string, ResourceDefinition]> {
  return [["", manifest.resource], ...Object.entries(manifest.additionalResources ?? {})];
}

/** Host and path of a URL: what a success line names. */
export function targetOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

function resourceName(manifest: IntegrationManifest, key: string): string {
  return (key === "" ? manifest.resource : manifest.additionalResources?.[key])?.displayName ?? key;
}

/** What to do about a failed test call, by status. */
function fixFor(manifest: IntegrationManifest, key: string, status: number): string {
  const resource = key === "" ? manifest.resource : manifest.additionalResources?.[key];
  if (status === 401) {
    return `Fix: the service refused the token. Check Tenant ID, the application's ID and its secret or certificate, and Azure Cloud, then run ${formatCommand(generatedName(manifest, "auth-reset"))} and ${formatCommand(generatedName(manifest, "test"))}.`;
  }
  if (status === 403) {
    const specs = testPermissions(manifest).filter((spec) => (spec.resource ?? "") === key);
    const names = specs.flatMap((spec) => [
      ...(spec.application?.length ? [`${describeSpec(spec, "application")} (Application)`] : []),
      ...(spec.delegated?.length ? [`${describeSpec(spec, "delegated")} (Delegated)`] : []),
      ...(spec.rbac?.length ? [`the Azure role ${spec.rbac.join(", or ")}`] : []),
    ]);
    const needs = names.length > 0 ? `The test needs ${names.join("; ")}. ` : "";
    // Azure RBAC roles are assigned on the resource (Access control), not added to the app registration.
    if (specs.length > 0 && specs.every((spec) => !spec.application?.length && !spec.delegated?.length)) {
      return `Fix: ${needs}Assign it to the identity in the Azure portal: the subscription or resource group → Access control (IAM) → Add role assignment, then run ${formatCommand(generatedName(manifest, "test"))} again.`;
    }
    return `Fix: ${needs}${grantAdvice(manifest, "application", key === "" ? undefined : key)}`;
  }
  if (status === 404) {
    const parameters = [...(resource?.parameters ?? []), ...(manifest.parameters ?? [])].map(
      (parameter) => parameter.displayName,
    );
    const which = parameters.length > 0 ? ` (${parameters.join(", ")})` : "";
    return `Fix: the service has no such resource: check the instance's parameters that name it${which} with msint instance show, and the Azure Cloud.`;
  }
  if (status === 429 || status >= 500) {
    return `Fix: the service is busy or failing; run ${formatCommand(generatedName(manifest, "test"))} again in a minute.`;
  }
  return `Fix: check the instance's parameters with msint instance show.`;
}

/**
 * Runs `<prefix>-test`'s calls: the manifest's own test, then a probe of each resource it did not reach. `reached`
 * fills with every answer (the API clients of `context` report them). A failed call becomes one error naming the
 * resource, the request, the HTTP status and the fix.
 */
export async function runIntegrationTest(
  manifest: IntegrationManifest,
  context: CommandContext,
  reached: ReachedRequest[],
): Promise<void> {
  try {
    await manifest.test?.(context);
    for (const [key, resource] of resourcesOf(manifest)) {
      if (reached.some((answer) => answer.resource === key)) continue;
      if (!resource.probe) {
        throw new MsintError(
          `${generatedName(manifest, "test")} did not reach ${resource.displayName}: the integration's test does not call it and the resource has no probe (a defect of the integration package).`,
        );
      }
      const client = key === "" ? context.api : context.apiFor(key);
      await client.request({ expect: "none", ...resource.probe.request(context.params) });
    }
  } catch (error) {
    const last = reached.at(-1);
    if (!ApiError.isInstance(error) || !last || last.status < 400) throw error;
    throw new ApiError(
      [
        `${generatedName(manifest, "test")} could not reach ${resourceName(manifest, last.resource)}: ${last.method} ${last.target} answered HTTP ${last.status}.`,
        error.message,
        fixFor(manifest, last.resource, last.status),
      ].join("\n"),
      { status: last.status, code: error.code },
    );
  }
}

/** The success lines: each resource and the requests that reached it. */
export function reachedLines(manifest: IntegrationManifest, reached: readonly ReachedRequest[]): string[] {
  const lines: string[] = [];
  for (const [key] of resourcesOf(manifest)) {
    const answers = reached.filter((answer) => answer.resource === key);
    if (answers.length === 0) continue;
    const requests = answers.map((answer) => `${answer.method} ${answer.target} → ${answer.status}`);
    lines.push(`- ${resourceName(manifest, key)}: ${requests.join("; ")}`);
  }
  return lines;
}
