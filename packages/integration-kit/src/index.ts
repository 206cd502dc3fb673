export { type ApiClient, type ApiClientOptions, type ApiRequest, createApiClient } from "./api-client.js";
export { parseArgumentWords, parseCommandLine, UsageError } from "./args.js";
export {
  createStrategy,
  declaredFlows,
  FLOW_NAMES,
  type FlowSelection,
  flowTableWords,
  type ResolvedEndpoints,
  resolveEndpoints,
  scopesFor,
  selectFlow,
} from "./auth.js";
export { defineIntegration, type Integration, ManifestError } from "./define.js";
export type {
  ArgumentDefinition,
  CommandContext,
  CommandDefinition,
  IntegrationManifest,
  OutputDefinition,
  ResolvedParams,
  ResourceDefinition,
  SupportedFlows,
} from "./manifest.js";
export {
  AUTH_PARAMETERS,
  AUTH_TYPES,
  type AuthType,
  type ParameterDefinition,
  type ParameterType,
  type ParameterValues,
  resolveParameterValues,
  toBoolean,
  validateParameterValue,
  validators,
} from "./parameters.js";
export { azureResourceManager, graph, qualifyScope } from "./resources.js";
export { type CommandResult, tableToMarkdown } from "./results.js";
export { contextAccess, type InstanceDocument, type RunCommandOptions, runCommand } from "./runtime.js";
