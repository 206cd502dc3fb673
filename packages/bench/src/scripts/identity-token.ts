/**
 * A cold process that gets one token with @azure/identity, the way an Azure SDK user does: import the library,
 * build a ClientSecretCredential, call getToken once. Identity has no persistent token cache unless
 * @azure/identity-cache-persistence (native keychain) is added, so every process asks the server.
 *
 * Identity requires an https authority, so it is given a fake one and its own default HTTP client
 * (core-rest-pipeline), with the fake host rewritten to the loopback emulator (and the emulator's origin in the
 * discovery document rewritten to the fake host, which msal-common 16's issuer validation requires).
 *
 * Env: BENCH_URL, BENCH_TENANT_ID, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_SCOPE, BENCH_AUTHORITY_HOST.
 */
import { createDefaultHttpClient } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";

const env = process.env;
const url = env["BENCH_URL"] ?? "";
const fake = `https://${env["BENCH_AUTHORITY_HOST"] ?? "login.emulator.test"}`;
const inner = createDefaultHttpClient();
const credential = new ClientSecretCredential(
  env["BENCH_TENANT_ID"] ?? "",
  env["BENCH_CLIENT_ID"] ?? "",
  env["BENCH_CLIENT_SECRET"] ?? "",
  {
    authorityHost: fake,
    disableInstanceDiscovery: true,
    httpClient: {
      // The same rewriting client as the in-process bench (see loopbackHttpClient in clients.ts).
      async sendRequest(request) {
        if (request.url.startsWith(fake)) request.url = url + request.url.slice(fake.length);
        if (request.url.startsWith(url)) request.allowInsecureConnection = true;
        const response = await inner.sendRequest(request);
        if (request.url.includes("/.well-known/openid-configuration") && response.bodyAsText) {
          response.bodyAsText = response.bodyAsText.split(url).join(fake);
        }
        return response;
      },
    },
  },
);
const token = await credential.getToken(env["BENCH_SCOPE"] ?? "");
process.stdout.write(token?.token ? "✅ Success!\n" : "no token\n");
