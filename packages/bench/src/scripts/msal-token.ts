/**
 * A cold process that gets one token with @azure/msal-node's ConfidentialClientApplication. msal-node keeps its
 * cache in memory unless a cache plugin is written, so every process asks the server. It is given the authority
 * metadata (no discovery request), as msal's docs describe for non-Microsoft authorities.
 *
 * Env: BENCH_TENANT_ID, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_SCOPE, BENCH_AUTHORITY_HOST,
 * BENCH_AUTHORITY_METADATA.
 */
import { ConfidentialClientApplication } from "@azure/msal-node";

const env = process.env;
const host = env["BENCH_AUTHORITY_HOST"] ?? "login.emulator.test";
const app = new ConfidentialClientApplication({
  auth: {
    clientId: env["BENCH_CLIENT_ID"] ?? "",
    clientSecret: env["BENCH_CLIENT_SECRET"] ?? "",
    authority: `https://${host}/${env["BENCH_TENANT_ID"] ?? ""}`,
    knownAuthorities: [host],
    authorityMetadata: env["BENCH_AUTHORITY_METADATA"] ?? "",
  },
});
const result = await app.acquireTokenByClientCredential({ scopes: [env["BENCH_SCOPE"] ?? ""] });
process.stdout.write(result?.accessToken ? "✅ Success!\n" : "no token\n");
