import type { FetchedToken } from "../context.js";
import { getRedactor } from "../redact.js";
import type { FlowStrategy } from "../strategy.js";
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
  /** MSAL's `auth` credential: `clientSecret`, or `clientCertificate`. */
  credential:
    | { clientSecret: string }
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
  const { tenantId, clientId, loginHost, transport, commandPrefix, credential } = options;
  let application: Promise<import("@azure/msal-node").ConfidentialClientApplication> | undefined;
  const capture: CapturedExchange = {};

  const getApplication = () => {
    application ??= loadMsal().then(
      (msal) =>
        new msal.ConfidentialClientApplication({
          auth: { clientId, ...credential, ...msalAuthorityOptions(loginHost, tenantId) },
          system: { networkClient: capturingNetworkClient(transport, capture) as never },
        }),
    );
    // A failed construction (bad key…) is not remembered: the next call tries again with the same input.
    application.catch(() => {
      application = undefined;
    });
    return application;
  };

  return {
    flow: "client-credentials",
    fingerprint: options.fingerprint,
    async fetchToken(scopes) {
      resetCapture(capture);
      try {
        const app = await getApplication();
        const result = await app.acquireTokenByClientCredential({ scopes: [...scopes], skipCache: true });
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
        throw toAuthenticationError(error, capture, commandPrefix);
      }
    },
  };
}
