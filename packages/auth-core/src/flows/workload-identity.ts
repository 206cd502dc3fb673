// Synchronous fs: node:fs/promises would be loaded on every start of the CLI (the hot path does not need it).
import { readFileSync } from "node:fs";
import { ParameterError } from "../errors.js";
import type { FlowStrategy } from "../strategy.js";
import type { Transport } from "../transport/index.js";
import { createMsalClientCredentialsStrategy } from "./client-credentials.js";
import { fingerprint } from "./msal-support.js";

/** The parameter that names the federated token file, as error messages call it. */
export const FEDERATED_TOKEN_FILE_PARAMETER = "Federated token file";

/** Longest federated token accepted (a projected service-account token is about 1-2 KB). */
const MAX_FEDERATED_TOKEN_BYTES = 64 * 1024;

/** Workload identity federation (AKS workload identity, GitHub OIDC…): an app signs in with a federated token. */
export interface WorkloadIdentityOptions {
  tenantId: string;
  clientId: string;
  /**
   * The file holding the federated token (AKS projects it at `AZURE_FEDERATED_TOKEN_FILE`). It is read for
   * every token request: the platform rotates it, so a long-running process never sends an expired one.
   */
  tokenFilePath: string;
  /** Login host of the cloud, e.g. `https://login.microsoftonline.com`. */
  loginHost: string;
  transport: Transport;
  commandPrefix?: string | undefined;
}

/** Reads the federated token, checked enough that a wrong path gets a message and not a token-endpoint error. */
export async function readFederatedToken(path: string): Promise<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ParameterError(
      `${FEDERATED_TOKEN_FILE_PARAMETER}: ${path} cannot be read (${code ?? "error"}). Check the path (AZURE_FEDERATED_TOKEN_FILE on AKS is set by the workload identity webhook) and that this process may read it.`,
      FEDERATED_TOKEN_FILE_PARAMETER,
    );
  }
  const token = text.trim();
  if (token === "" || Buffer.byteLength(token) > MAX_FEDERATED_TOKEN_BYTES || token.split(".").length !== 3) {
    throw new ParameterError(
      `${FEDERATED_TOKEN_FILE_PARAMETER}: ${path} does not hold a JWT (three dot-separated parts). Point it at the projected service account token, or the OIDC token of your platform.`,
      FEDERATED_TOKEN_FILE_PARAMETER,
    );
  }
  return token;
}

/**
 * Creates the workload identity strategy: the client-credentials grant with `client_assertion_type =
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and the federated token as `client_assertion`, read
 * from the file at every acquisition (MSAL calls the assertion callback per request).
 */
export function createWorkloadIdentityStrategy(options: WorkloadIdentityOptions): FlowStrategy {
  const { tenantId, clientId, loginHost, tokenFilePath } = options;
  return createMsalClientCredentialsStrategy({
    ...options,
    flow: "workload-identity",
    credential: { clientAssertion: () => readFederatedToken(tokenFilePath) },
    fingerprint: fingerprint("workload-identity", loginHost, tenantId, clientId, tokenFilePath),
  });
}
