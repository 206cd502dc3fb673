import { ParameterError, parseCertificateCredential } from "@msint/auth-core";
import type { IntegrationManifest } from "../manifest.js";
import {
  AUTH_PARAMETERS,
  type ParameterDefinition,
  type ParameterValues,
  textParameter,
  validators,
} from "../parameters.js";
import { flowDisplayName, hasXsoarApp } from "./store.js";
import type { KitFlowId, Params } from "./types.js";

const p = AUTH_PARAMETERS;

/** The three parameters of an app registration, in the order integrations declare them. */
export const REGISTRATION_PARAMETERS: readonly ParameterDefinition[] = [p.auth_id, p.tenant_id, p.enc_key];

/** A confidential client's credential: the secret, or the certificate pair. */
export const CONFIDENTIAL_CREDENTIAL = {
  secret: [p.enc_key],
  certificate: [p.certificate_thumbprint, p.private_key],
} as const satisfies Record<string, readonly ParameterDefinition[]>;

function displayNameOf(definition: ParameterDefinition, selfDeployed: boolean): string {
  return selfDeployed ? definition.displayName : (definition.xsoarAppName ?? definition.displayName);
}

/** Throws one error listing every missing parameter of the flow by display name. */
export function requireParameters(
  flow: KitFlowId,
  params: Params,
  definitions: readonly ParameterDefinition[],
  selfDeployed: boolean,
): void {
  const missing = definitions.filter((definition) => !params[definition.key]);
  if (missing.length === 0) return;
  const names = missing.map((definition) => displayNameOf(definition, selfDeployed));
  throw new ParameterError(
    `The ${flowDisplayName(flow)} flow needs ${names.join(", ")}. Set ${missing.length === 1 ? "it" : "them"} with msint instance set <name> --param ${missing
      .map((definition) => `${definition.key}=…`)
      .join(" --param ")}.`,
    names[0]!,
  );
}

/** The credential parameters the instance uses: the certificate pair when either is set, else the secret. */
export function credentialParameters(params: Params): readonly ParameterDefinition[] {
  const certificate = params["certificate_thumbprint"] || params["private_key"];
  return certificate ? CONFIDENTIAL_CREDENTIAL.certificate : CONFIDENTIAL_CREDENTIAL.secret;
}

/** Client secret or certificate of a confidential client, parsed and validated. */
export function confidentialCredential(params: Params) {
  if (params["certificate_thumbprint"] || params["private_key"]) {
    return {
      certificate: parseCertificateCredential({
        thumbprint: textParameter(params, "certificate_thumbprint") || undefined,
        privateKey: textParameter(params, "private_key"),
      }),
    };
  }
  return { clientSecret: textParameter(params, "enc_key") };
}

/** A self-deployed app registration's tenant and client, checked. */
export function checkedApplication(params: Params): { tenantId: string; clientId: string } {
  validators.tenant(textParameter(params, "tenant_id"), p.tenant_id);
  validators.guid(textParameter(params, "auth_id"), p.auth_id);
  return { tenantId: textParameter(params, "tenant_id"), clientId: textParameter(params, "auth_id") };
}

/**
 * The settings that choose a self-deployed flow: its Authentication Type, and, where a Cortex XSOAR application
 * is the default, "Use a self-deployed Azure Application" ticked.
 */
export function selfDeployedSettings(manifest: IntegrationManifest, authType: string): ParameterValues {
  return { ...(hasXsoarApp(manifest) ? { self_deployed: true } : {}), auth_type: authType };
}
