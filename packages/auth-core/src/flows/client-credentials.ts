import type { FetchedToken } from "../context.js";
import type { FlowStrategy } from "../strategy.js";
import type { Transport } from "../transport/index.js";
import {
  type CapturedExchange,
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
  const { tenantId, clientId, clientSecret, loginHost, transport, commandPrefix } = options;
  let application: Promise<import("@azure/msal-node").ConfidentialClientApplication> | undefined;
  const capture: CapturedExchange = {};

  const getApplication = () => {
    application ??= loadMsal().then(
      (msal) =>
        new msal.ConfidentialClientApplication({
          auth: { clientId, clientSecret, ...msalAuthorityOptions(loginHost, tenantId) },
          system: { networkClient: capturingNetworkClient(transport, capture) as never },
        }),
    );
    return application;
  };

  return {
    flow: "client-credentials",
    fingerprint: fingerprint("client-credentials", loginHost, tenantId, clientId, fingerprint(clientSecret)),
    async fetchToken(scopes) {
      const app = await getApplication();
      resetCapture(capture);
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [...scopes], skipCache: true });
        if (!result?.accessToken) throw new Error("the token endpoint returned no access token");
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
