import { readFileSync, statSync } from "node:fs";
import { parseCertificateCredential } from "../certificates.js";
import { ParameterError } from "../errors.js";
import type { FlowStrategy } from "../strategy.js";
import type { Transport } from "../transport/index.js";
import { createClientCertificateStrategy } from "./client-certificate.js";
import { createClientSecretStrategy } from "./client-credentials.js";
import { fingerprint } from "./msal-support.js";

/** Largest certificate file read from AZURE_CLIENT_CERTIFICATE_PATH. */
const MAX_CERTIFICATE_FILE_BYTES = 256 * 1024;

/** The `AZURE_*` variables of @azure/identity's EnvironmentCredential convention. */
export const ENVIRONMENT_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
] as const;

/** Options of {@link createEnvironmentStrategy}. */
export interface EnvironmentOptions {
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Login host of the instance's cloud (AZURE_AUTHORITY_HOST is not read: the instance's Azure Cloud decides). */
  loginHost: string;
  transport: Transport;
  commandPrefix?: string | undefined;
}

function missing(names: string[], what: string): ParameterError {
  return new ParameterError(
    `The Environment flow needs ${names.join(" and ")} ${what}. Set ${names.length === 1 ? "it" : "them"} in the environment of the process (the convention of @azure/identity's EnvironmentCredential).`,
    names[0]!,
  );
}

/**
 * Client credentials from the environment, as @azure/identity's EnvironmentCredential reads them:
 * `AZURE_TENANT_ID` and `AZURE_CLIENT_ID`, then `AZURE_CLIENT_SECRET`, else `AZURE_CLIENT_CERTIFICATE_PATH` (a PEM
 * file with the private key and the certificate; `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=true` sends `x5c`). Read
 * when the strategy is created, that is for each command: nothing of it is stored.
 * @throws ParameterError naming the missing or unusable variable.
 */
export function createEnvironmentStrategy(options: EnvironmentOptions): FlowStrategy {
  const env = options.env ?? process.env;
  const value = (name: string) => env[name]?.trim() || undefined;
  const tenantId = value("AZURE_TENANT_ID");
  const clientId = value("AZURE_CLIENT_ID");
  const unset = [["AZURE_TENANT_ID", tenantId] as const, ["AZURE_CLIENT_ID", clientId] as const]
    .filter(([, given]) => !given)
    .map(([name]) => name);
  if (unset.length > 0) throw missing(unset, "(the app registration's Directory and Application IDs)");
  const common = {
    tenantId: tenantId!,
    clientId: clientId!,
    loginHost: options.loginHost,
    transport: options.transport,
    commandPrefix: options.commandPrefix,
  };
  const secret = env["AZURE_CLIENT_SECRET"];
  if (secret) {
    const strategy = createClientSecretStrategy({ ...common, clientSecret: secret });
    return { ...strategy, flow: "environment", fetchToken: strategy.fetchToken.bind(strategy) };
  }
  const path = value("AZURE_CLIENT_CERTIFICATE_PATH");
  if (!path) {
    if (value("AZURE_USERNAME"))
      throw new ParameterError(
        "The Environment flow does not sign in with AZURE_USERNAME and AZURE_PASSWORD (the resource owner password grant, which Microsoft retires and MFA blocks). Set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH.",
        "AZURE_USERNAME",
      );
    throw missing(
      ["AZURE_CLIENT_SECRET"],
      "(or AZURE_CLIENT_CERTIFICATE_PATH, a PEM file with key and certificate)",
    );
  }
  if (value("AZURE_CLIENT_CERTIFICATE_PASSWORD")) {
    throw new ParameterError(
      "AZURE_CLIENT_CERTIFICATE_PASSWORD is set, but the Environment flow reads unencrypted PEM only. Convert the certificate: openssl pkcs12 -in cert.pfx -out cert.pem -nodes, and unset AZURE_CLIENT_CERTIFICATE_PASSWORD.",
      "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    );
  }
  let pem: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error("not a regular file");
    if (stats.size > MAX_CERTIFICATE_FILE_BYTES) throw new Error("larger than 256 KiB");
    pem = readFileSync(path, "utf8");
  } catch (error) {
    throw new ParameterError(
      `AZURE_CLIENT_CERTIFICATE_PATH: ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Point it at a PEM file holding the private key and the certificate.`,
      "AZURE_CLIENT_CERTIFICATE_PATH",
    );
  }
  let certificate: ReturnType<typeof parseCertificateCredential>;
  try {
    certificate = parseCertificateCredential({ privateKey: pem });
  } catch (error) {
    throw new ParameterError(
      `AZURE_CLIENT_CERTIFICATE_PATH (${path}): ${(error as Error).message}`,
      "AZURE_CLIENT_CERTIFICATE_PATH",
    );
  }
  const strategy = createClientCertificateStrategy({
    ...common,
    certificate,
    sendCertificateChain: /^(true|1|yes)$/i.test(value("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") ?? ""),
  });
  return {
    ...strategy,
    flow: "environment",
    fingerprint: fingerprint("environment", strategy.fingerprint),
    fetchToken: strategy.fetchToken.bind(strategy),
  };
}
