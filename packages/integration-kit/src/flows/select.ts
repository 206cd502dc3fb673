import { type MsintError, ParameterError } from "@msint/auth-core";
import type { IntegrationManifest } from "../manifest.js";
import { AUTH_PARAMETERS, toBoolean } from "../parameters.js";
import { declaredFlows } from "./columns.js";
import { canSelfDeploy, flowDisplayName, hasXsoarApp, registered } from "./store.js";
import { type FlowDefinition, type Params, SELECTION_PHASES, type SelectionContext } from "./types.js";

/** The rank of a flow's column: the seed's column order, then msint extensions, then resource credentials. */
const COLUMN_RANK = [
  "xsoarApp",
  "clientCredentials",
  "deviceCode",
  "authorizationCode",
  "managedIdentities",
  "msint extension",
  "resource credential",
];

/** Flows in the seed table's column order (registry order within a column): how docs and messages list them. */
export function inColumnOrder(definitions: readonly FlowDefinition[]): FlowDefinition[] {
  return [...definitions].sort((a, b) => COLUMN_RANK.indexOf(a.column) - COLUMN_RANK.indexOf(b.column));
}

/** Names of the flows an integration supports, as messages list them (the SAS token is not a flow to choose). */
export function supportedFlowNames(manifest: IntegrationManifest): string[] {
  const names = inColumnOrder(registered)
    .filter((definition) => definition.column !== "resource credential" && definition.supports(manifest))
    .map((definition) => definition.displayName);
  return [...new Set(names)];
}

function unsupported(manifest: IntegrationManifest, definition: FlowDefinition): MsintError {
  return new ParameterError(
    `${manifest.displayName} does not support the ${definition.displayName} flow. It supports: ${supportedFlowNames(manifest).join(", ")}.`,
    (definition.selector ?? AUTH_PARAMETERS.auth_type).displayName,
  );
}

function cannotSelfDeploy(manifest: IntegrationManifest): MsintError {
  return new ParameterError(
    `${manifest.displayName} cannot use a self-deployed Azure application. It supports: ${declaredFlows(
      manifest.flows,
    )
      .map((id) => flowDisplayName(id))
      .join(", ")}.`,
    AUTH_PARAMETERS.self_deployed.displayName,
  );
}

/** What the selection predicates see of an instance. */
export function selectionContext(manifest: IntegrationManifest, params: Params): SelectionContext {
  const authType = typeof params["auth_type"] === "string" ? params["auth_type"].toLowerCase() : "";
  return {
    manifest,
    params,
    authType,
    selfDeployed: toBoolean(params["self_deployed"]) || !hasXsoarApp(manifest),
    canSelfDeploy: canSelfDeploy(manifest),
  };
}

/**
 * Picks the flow of an instance: phase by phase (see SELECTION_PHASES), the registry's order within a phase.
 * This is the seed document's reading of the instance settings: managed identities when ticked (or chosen as
 * Authentication Type); the Cortex XSOAR application unless "Use a self-deployed Azure Application" is ticked;
 * otherwise the Authentication Type, defaulting to client credentials.
 */
export function selectFlowDefinition(manifest: IntegrationManifest, params: Params): FlowDefinition {
  const context = selectionContext(manifest, params);
  for (const phase of SELECTION_PHASES) {
    if (phase === "chosen" && !context.canSelfDeploy) throw cannotSelfDeploy(manifest);
    for (const definition of registered) {
      if (!definition.select[phase]?.(context)) continue;
      if (definition.supports(manifest)) return definition;
      if (phase === "ticked" || phase === "chosen") throw unsupported(manifest, definition);
    }
  }
  throw cannotSelfDeploy(manifest);
}
