import type { DeviceCodeWait, FlowId, FlowStrategy, Transport } from "@msint/auth-core";
import type { ResolvedEndpoints } from "../auth.js";
import type { IntegrationManifest } from "../manifest.js";
import type { ParameterDefinition, ParameterValues } from "../parameters.js";

/**
 * A flow of the kit: auth-core's token flows, the Azure Storage account SAS token (no OAuth at all), or a flow
 * another package registered with `registerFlow`.
 */
export type KitFlowId = FlowId | "shared-access-signature" | (string & {});

/** The seed table's columns that are flows (the sixth, Supports National Clouds, is not one). */
export type SeedFlowColumn =
  | "xsoarApp"
  | "clientCredentials"
  | "deviceCode"
  | "authorizationCode"
  | "managedIdentities";

/**
 * Where a flow stands against the seed document's table: under one of its columns, an msint extension beyond it
 * (docs/supported-flows.md lists them), or a credential of the resource itself (the account SAS token).
 */
export type FlowColumn = SeedFlowColumn | "msint extension" | "resource credential";

/** Instance parameters, resolved (env references read, defaults applied). */
export type Params = Record<string, string | boolean | undefined>;

/**
 * The phases of flow selection, in order; within a phase the registry's order decides.
 * - `ticked`: a setting that overrides every app registration (Use Azure Managed Identities).
 * - `implied`: the manifest or the self-deployed tick box leaves this flow (account SAS, the Cortex XSOAR
 *   application). Then, when no self-deployed flow is supported, selection stops with an error.
 * - `chosen`: Authentication Type names the flow.
 * - `inferred`: the parameters point at it (a redirect URI and an authorization code).
 * - `fallback`: the default, the first supported one in the registry's order.
 * A flow that is `ticked` or `chosen` but not supported by the integration is an error naming its selector; in the
 * other phases an unsupported flow is passed over.
 */
export const SELECTION_PHASES = ["ticked", "implied", "chosen", "inferred", "fallback"] as const;
export type SelectionPhase = (typeof SELECTION_PHASES)[number];

/** What a selection predicate sees. */
export interface SelectionContext {
  manifest: IntegrationManifest;
  params: Params;
  /** Authentication Type in lower case, "" when unset. */
  authType: string;
  /** Whether the instance uses its own app registration (ticked, or no Cortex XSOAR application to fall back on). */
  selfDeployed: boolean;
  /** Whether the integration supports any flow with a self-deployed app registration. */
  canSelfDeploy: boolean;
}

/** What a flow's strategy is created from. */
export interface FlowStrategyInput {
  manifest: IntegrationManifest;
  params: Params;
  endpoints: ResolvedEndpoints;
  transport: Transport;
  /** Device code: poll until the sign-in finishes instead of trying once. */
  deviceCodeWait?: { onProgress?: DeviceCodeWait["onProgress"] | undefined } | undefined;
  /** Where Workload Identity and Environment read `AZURE_*` variables. */
  env: NodeJS.ProcessEnv;
}

/** What `msint instance add` asks for the flow (the CLI's FlowPlan). */
export interface FlowPlanDefinition {
  /** Whether `instance add` offers the flow to an integration that supports it; always when omitted. */
  offered?(manifest: IntegrationManifest): boolean;
  /** The plan's title, when it differs from the flow's display name. */
  title?: string;
  /** The parameter values that select the flow (self_deployed, auth_type, use_managed_identities). */
  settings(manifest: IntegrationManifest): ParameterValues;
  /** Needed by the flow; a confidential client's secret or certificate is asked apart (`credential`). */
  required: readonly ParameterDefinition[];
  /** A confidential client: Client Secret, or Certificate Thumbprint with Private Key. */
  credential: boolean;
  /** Used when given. */
  optional: readonly ParameterDefinition[];
}

/** What the generated docs say about the flow. */
export interface FlowDocs {
  /**
   * The flow's line in an integration's reference page (docs/integrations/<id>.md), or undefined when it does
   * not apply. Asked of every flow, so one may say why it does not apply ("no - saas").
   */
  reference(manifest: IntegrationManifest): string | undefined;
  /** msint extensions: the row of docs/supported-flows.md's extension table. */
  extension?: { parameters: string; credential: string; summary: string };
}

/** One authentication flow: everything the kit, the CLI, the docs and check:flows know about it. */
export interface FlowDefinition {
  /** Unique in the registry: the flow's id, or a variant's ("xsoar-app-device"). */
  readonly id: string;
  /** The flow a selection reports and its strategy runs ("device-code" for the Cortex XSOAR device variant). */
  readonly flow: KitFlowId;
  /** What people call it. */
  readonly displayName: string;
  readonly column: FlowColumn;
  /**
   * Whose app registration it signs in with: the Cortex XSOAR application (parameters named ID, Token, Key), a
   * self-deployed one, or none (managed identity, SAS token). Every flow with a registration declares its three
   * parameters (App/Client ID, Tenant ID, Client Secret).
   */
  readonly registration: "xsoar" | "self-deployed" | "none";
  /** The Authentication Type value that chooses it. */
  readonly authType?: string;
  /** The parameter a "does not support" error names; Authentication Type when omitted. */
  readonly selector?: ParameterDefinition;
  /** Whether it acts as a signed-in user (delegated scopes) rather than as the application. */
  readonly delegated: boolean;
  /** An msint extension every integration with this seed column has, without listing it in `flows.extensions`. */
  readonly impliedBy?: SeedFlowColumn;
  /** Whether the integration offers the flow. */
  supports(manifest: IntegrationManifest): boolean;
  /** The instance parameters the flow uses, declared on every integration that supports it. */
  readonly parameters: readonly ParameterDefinition[];
  /** When selection picks it, by phase. */
  readonly select: { readonly [P in SelectionPhase]?: (context: SelectionContext) => boolean };
  /** Checks the flow's parameters and builds its strategy; omitted when the flow needs no token. */
  createStrategy?(input: FlowStrategyInput): FlowStrategy;
  /** What interactive `instance add` asks; omitted when it cannot be configured from an instance. */
  readonly plan?: FlowPlanDefinition;
  readonly docs: FlowDocs;
}
