import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  type ContextStore,
  createTransport,
  openFileStore,
  TokenProvider,
  type Transport,
} from "@msint/auth-core";
import {
  contextAccess,
  createStrategy,
  type InstanceDocument,
  type ParameterValues,
  resolveEndpoints,
  resolveParameterValues,
  scopesFor,
} from "@msint/integration-kit";
import msgraphUser from "@msint/msgraph-user";
import { type BenchContext, FAKE_AUTHORITY_HOST } from "./context.js";

/**
 * @azure/identity only accepts an https authority host. The documented way to point it elsewhere is its
 * `httpClient` option: identity's own default client (core-rest-pipeline), with the fake https host rewritten to
 * the loopback emulator. Everything else (retry policy, MSAL, caching) is identity's.
 *
 * msal-common 16 validates the `issuer` of a discovery document against the authority's host, so the emulator
 * is made to look like it lives at the fake host: its origin in discovery documents becomes the fake https
 * origin, and requests to the fake origin go to the emulator.
 */
export function loopbackHttpClient(emulatorUrl: string): HttpClient {
  const inner = createDefaultHttpClient();
  const fake = `https://${FAKE_AUTHORITY_HOST}`;
  return {
    async sendRequest(request) {
      if (request.url.startsWith(fake)) request.url = emulatorUrl + request.url.slice(fake.length);
      if (request.url.startsWith(emulatorUrl)) request.allowInsecureConnection = true;
      const response = await inner.sendRequest(request);
      if (request.url.includes("/.well-known/openid-configuration") && response.bodyAsText) {
        response.bodyAsText = response.bodyAsText.split(emulatorUrl).join(fake);
      }
      return response;
    },
  };
}

export function identityCredential(context: BenchContext): ClientSecretCredential {
  return new ClientSecretCredential(context.tenantId, context.clientId, context.clientSecret, {
    authorityHost: `https://${FAKE_AUTHORITY_HOST}`,
    disableInstanceDiscovery: true,
    httpClient: loopbackHttpClient(context.url),
  });
}

/** msal-node the way its docs say to use a non-Microsoft authority: known authority + metadata (http endpoints). */
export function msalApplication(context: BenchContext): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: context.clientId,
      clientSecret: context.clientSecret,
      authority: `https://${FAKE_AUTHORITY_HOST}/${context.tenantId}`,
      knownAuthorities: [FAKE_AUTHORITY_HOST],
      authorityMetadata: context.authorityMetadata,
    },
  });
}

/** The parameters of a Microsoft Graph User instance on the emulator with client credentials (Custom cloud). */
export function instanceParams(context: BenchContext): ParameterValues {
  return {
    self_deployed: true,
    auth_type: "Client Credentials",
    tenant_id: context.tenantId,
    auth_id: context.clientId,
    enc_key: context.clientSecret,
    azure_cloud: "Custom",
    azure_ad_endpoint: context.url,
    server_url: context.url,
  };
}

export interface MsintProvider {
  provider: TokenProvider;
  scopes: string[];
  /** A new provider over the same store and strategy (empty memory cache: the next call reads the store). */
  fresh(): TokenProvider;
  store: ContextStore<InstanceDocument>;
}

/**
 * Writes a Microsoft Graph User instance (client credentials against the emulator, empty context) into the
 * encrypted FileStore of `home`, as `msint instance add` does, without paying for a process.
 */
export async function createInstance(
  context: BenchContext,
  home: string,
  name: string,
  passphrase?: string,
): Promise<ContextStore<InstanceDocument>> {
  const store = await openFileStore<InstanceDocument>(passphrase ? { home, passphrase } : { home });
  const now = new Date().toISOString();
  await store.update(name, () => ({
    version: 1,
    name,
    integration: msgraphUser.manifest.id,
    params: instanceParams(context),
    context: {},
    createdAt: now,
    updatedAt: now,
  }));
  return store;
}

/**
 * msint's token provider for an instance, built exactly as `runCommand` builds it (integration-kit's strategy
 * selection, the instance's context in the encrypted FileStore under `home`).
 */
export async function msintProvider(
  context: BenchContext,
  name: string,
  options: { home?: string; transport?: Transport } = {},
): Promise<MsintProvider> {
  const store = await createInstance(context, options.home ?? context.home, name);
  const { manifest } = msgraphUser;
  const resolved = resolveParameterValues(msgraphUser.parameters, instanceParams(context), {});
  const endpoints = resolveEndpoints(manifest, resolved);
  const transport = options.transport ?? createTransport({});
  const strategy = createStrategy({ manifest, params: resolved, endpoints, transport });
  const scopes = scopesFor(manifest, strategy.flow, endpoints);
  const access = contextAccess(store, name);
  const fresh = () => new TokenProvider(strategy, access);
  return { provider: fresh(), scopes, fresh, store };
}
