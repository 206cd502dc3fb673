import type { IntegrationManifest } from "../manifest.js";
import type { FlowDefinition, KitFlowId, SelectionContext } from "./types.js";

/**
 * The registry's list, in selection order. It lives in a module without imports so that parameters.ts (the
 * Authentication Type choices) can read it without an import cycle; flows/index.ts fills and exports it.
 */
export const registered: FlowDefinition[] = [];

/** The Authentication Type choices: the flows' `authType`, in registry order. */
export function authTypeOptions(): string[] {
  return registered.flatMap((definition) => (definition.authType ? [definition.authType] : []));
}

/** Whether the integration supports a flow with a self-deployed app registration. */
export function canSelfDeploy(manifest: IntegrationManifest): boolean {
  return registered.some(
    (definition) => definition.registration === "self-deployed" && definition.supports(manifest),
  );
}

/** Whether the integration offers a Cortex XSOAR application flow. */
export function hasXsoarApp(manifest: IntegrationManifest): boolean {
  return registered.some(
    (definition) => definition.registration === "xsoar" && definition.supports(manifest),
  );
}

/** Whether the Authentication Type names this type (case-insensitive, as instances store it). */
export function authTypeIs(context: SelectionContext, type: string | undefined): boolean {
  return type !== undefined && context.authType === type.toLowerCase();
}

/** Whether a manifest lists the extension flow in `flows.extensions`. */
export function declaresExtension(manifest: IntegrationManifest, id: string): boolean {
  return manifest.flows.extensions?.includes(id) ?? false;
}

/** The display name of a flow id: its own definition's, else the first with that flow. */
export function flowDisplayName(flow: KitFlowId): string {
  return (
    registered.find((definition) => definition.id === flow)?.displayName ??
    registered.find((definition) => definition.flow === flow)?.displayName ??
    flow
  );
}
