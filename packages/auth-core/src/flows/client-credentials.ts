import type { FetchedToken } from "../context.js";
import { getRedactor } from "../redact.js";
import { type FlowId, type FlowStrategy, TokenRequestAbortedError } from "../strategy.js";
import type { Transport } from "../transport/index.js";
import {
  type CapturedExchange,
  capturedTokenProblem,
  capturingNetworkClient,
  fingerprint,
  lifetimeOf,
  loadMsal,
  msalAuthorityOptions,
  resetCapture,
  toAuthenticationError,
} from "./msal-support.js";

/** Client credentials with a client secret: the application acts as itself (application permissions). */
export interface ClientSecretOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Login host of the cloud, e.g. `https://login.microsoftonline.com` (no tenant, no trailing slash). */
  loginHost: string;
  transport: Transport;
  /** Command prefix of the integration, for "run !<prefix>-auth-reset" hints in errors. */
  commandPrefix?: string;
}

/** Creates the client-credentials strategy over @azure/msal-node's ConfidentialClientApplication. */
export function createClientSecretStrategy(options: ClientSecretOptions): FlowStrategy {
  const { tenantId, clientId, clientSecret, loginHost } = options;
  getRedactor().add(clientSecret);
  return createMsalClientCredentialsStrategy({
    ...options,
    credential: { clientSecret },
    fingerprint: fingerprint("client-credentials", loginHost, tenantId, clientId, fingerprint(clientSecret)),
  });
}

/** What {@link createMsalClientCredentialsStrategy} needs besides the tenant, client and cloud. */
export interface MsalClientCredentialsOptions {
  tenantId: string;
  clientId: string;
  loginHost: string;
  transport: Transport;
  commandPrefix?: string | undefined;
  /** The flow it serves (client credentials, or an extension that is one: workload identity, environment). */
  flow?: FlowId;
  /**
   * MSAL's `auth` credential: `clientSecret`, `clientCertificate`, or `clientAssertion` (a callback MSAL calls
   * for each token request: workload identity reads the federated token file there).
   */
  credential:
    | { clientSecret: string }
    | { clientAssertion: () => Promise<string> }
    | {
        clientCertificate: {
          thumbprint?: string;
          thumbprintSha256?: string;
          privateKey: string;
          x5c?: string;
        };
      };
  fingerprint: string;
}

/**
 * The client-credentials grant over MSAL's ConfidentialClientApplication, whatever the client credential: MSAL
 * is loaded on the first fetch, talks through our transport, and gets the authority metadata from the catalog
 * (no discovery). MSAL's own cache is skipped: caching is the TokenProvider's.
 */
export function createMsalClientCredentialsStrategy(options: MsalClientCredentialsOptions): FlowStrategy {
  const { tenantId, clientId, loginHost, transport, commandPrefix } = options;
  type Application = import("@azure/msal-node").ConfidentialClientApplication;
  // One application per tenant: the configured one, and any other a caller asks for (a multi-tenant app).
  const applications = new Map<string, Promise<Application>>();
  const capture: CapturedExchange & { signal?: AbortSignal } = {};
  // The caller's abort signal reaches the token request on the wire.
  const signalled: Transport = {
    request: (request) =>
      transport.request(capture.signal ? { ...request, signal: capture.signal } : request),
  };
  const credential =
    "clientAssertion" in options.credential
      ? { clientAssertion: keepAssertionFailure(options.credential.clientAssertion, capture) }
      : options.credential;

  const getApplication = (tenant: string) => {
    const key = tenant.toLowerCase();
    let application = applications.get(key);
    if (!application) {
      application = loadMsal().then(
        (msal) =>
          new msal.ConfidentialClientApplication({
            auth: { clientId, ...credential, ...msalAuthorityOptions(loginHost, tenant) },
            system: { networkClient: capturingNetworkClient(signalled, capture) as never },
          }),
      );
      applications.set(key, application);
      // A failed construction (bad key…) is not remembered: the next call tries again with the same input.
      application.catch(() => applications.delete(key));
    }
    return application;
  };

  return {
    flow: options.flow ?? "client-credentials",
    fingerprint: options.fingerprint,
    tenantId,
    tenantSwitch: true,
    async fetchToken(scopes, _context, fetchOptions = {}) {
      resetCapture(capture);
      if (fetchOptions.abortSignal) capture.signal = fetchOptions.abortSignal;
      else delete capture.signal;
      try {
        const app = await getApplication(fetchOptions.tenantId ?? tenantId);
        const result = await app.acquireTokenByClientCredential({
          scopes: [...scopes],
          skipCache: true,
          ...(fetchOptions.claims ? { claims: fetchOptions.claims } : {}),
        });
        if (!result?.accessToken || capturedTokenProblem(capture) !== undefined) {
          throw new Error("the token endpoint returned no usable access token");
        }
        const { expiresIn, refreshIn } = lifetimeOf(capture.body);
        const token: FetchedToken = {
          accessToken: result.accessToken,
          expiresInSeconds:
            expiresIn ??
            Math.max(0, Math.round(((result.expiresOn?.getTime() ?? Date.now()) - Date.now()) / 1000)),
          refreshInSeconds: refreshIn,
          tokenType: result.tokenType || "Bearer",
        };
        return { token };
      } catch (error) {
        if (fetchOptions.abortSignal?.aborted) throw new TokenRequestAbortedError();
        throw toAuthenticationError(error, capture, commandPrefix);
      }
    },
  };
}

/**
 * MSAL wraps whatever the assertion callback throws in an error of its own: keep ours (a missing federated token
 * file names its parameter) so the user sees it rather than MSAL's.
 */
function keepAssertionFailure(read: () => Promise<string>, capture: CapturedExchange): () => Promise<string> {
  return async () => {
    try {
      return await read();
    } catch (error) {
      capture.thrown = error;
      throw error;
    }
  };
}
