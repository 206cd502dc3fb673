import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { authorityMetadata, cloudDiscoveryMetadata } from "../clouds.js";
import { createLogger } from "../log.js";
import {
  adaptToMsalNetworkClient,
  createTransport,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from "./index.js";

function fakeTransport(response: Partial<HttpResponse>) {
  const requests: HttpRequest[] = [];
  const transport: Transport = {
    async request(req) {
      requests.push(req);
      return { status: 200, headers: {}, body: "", url: req.url, ...response };
    },
  };
  return { transport, requests };
}

describe("adaptToMsalNetworkClient", () => {
  it("returns status, headers and the parsed JSON body", async () => {
    const { transport, requests } = fakeTransport({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"token_endpoint":"https://x/token"}',
    });
    const client = adaptToMsalNetworkClient(transport);
    const response = await client.sendGetRequestAsync<{ token_endpoint: string }>(
      "https://x/meta",
      {
        headers: { a: "b" },
      },
      2000,
    );
    expect(response).toEqual({
      status: 200,
      headers: { "content-type": "application/json" },
      body: { token_endpoint: "https://x/token" },
    });
    expect(requests[0]).toEqual({
      method: "GET",
      url: "https://x/meta",
      headers: { a: "b" },
      timeoutMs: 2000,
      // MSAL asks token endpoints and their metadata only: their answers are capped at 256 KiB.
      responseLimit: { bytes: 262144, what: "a token endpoint's answer" },
    });
  });

  it("posts the body and headers MSAL gives", async () => {
    const { transport, requests } = fakeTransport({ body: '{"access_token":"x"}' });
    const client = adaptToMsalNetworkClient(transport);
    const options = {
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: "grant_type=client_credentials",
      correlationId: "ignored",
    };
    const response = await client.sendPostRequestAsync<{ access_token: string }>("https://x/token", options);
    expect(response.body.access_token).toBe("x");
    expect(requests[0]).toEqual({
      method: "POST",
      url: "https://x/token",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=utf-8" },
      body: "grant_type=client_credentials",
      responseLimit: { bytes: 262144, what: "a token endpoint's answer" },
    });
  });

  it("turns non-JSON bodies into an empty object and lets MSAL judge the status", async () => {
    const seen: HttpResponse[] = [];
    const { transport } = fakeTransport({ status: 502, body: "<html>Bad gateway</html>" });
    const client = adaptToMsalNetworkClient(transport, { onResponse: (response) => seen.push(response) });
    expect(await client.sendPostRequestAsync("https://x/token", { body: "" })).toEqual({
      status: 502,
      headers: {},
      body: {},
    });
    expect(seen[0]?.body).toBe("<html>Bad gateway</html>");
    const empty = adaptToMsalNetworkClient(fakeTransport({ body: "" }).transport);
    expect((await empty.sendGetRequestAsync("https://x/")).body).toEqual({});
    const scalar = adaptToMsalNetworkClient(fakeTransport({ body: "42" }).transport);
    expect((await scalar.sendGetRequestAsync("https://x/")).body).toEqual({});
  });

  it("passes transport errors through", async () => {
    const failing: Transport = {
      request: async () => {
        throw new Error("boom");
      },
    };
    await expect(adaptToMsalNetworkClient(failing).sendGetRequestAsync("https://x/")).rejects.toThrow("boom");
  });
});

describe("real msal-node over the transport", () => {
  let server: Server | undefined;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("gets a client-credentials token with no discovery request, retrying a 503 inside the transport", async () => {
    const seen: string[] = [];
    let tokenCalls = 0;
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      seen.push(`${req.method} ${path}`);
      req.resume();
      req.on("end", () => {
        if (req.method === "POST" && path === "/tenant-1/oauth2/v2.0/token") {
          tokenCalls++;
          if (tokenCalls === 1) {
            res.writeHead(503, { "Retry-After": "1" });
            res.end();
            return;
          }
          res.setHeader("content-type", "application/json");
          res.end(
            JSON.stringify({
              token_type: "Bearer",
              expires_in: 3599,
              ext_expires_in: 3599,
              access_token: "at-1",
            }),
          );
          return;
        }
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    const delays: number[] = [];
    const transport = createTransport({
      logger: createLogger({ level: "silent" }),
      sleep: async (ms) => void delays.push(ms),
    });
    const msal = await import("@azure/msal-node");
    const app = new msal.ConfidentialClientApplication({
      auth: {
        clientId: "00000000-0000-0000-0000-000000000001",
        clientSecret: "test-secret-value",
        authority: "https://login.fake.test/tenant-1",
        knownAuthorities: ["login.fake.test"],
        authorityMetadata: authorityMetadata(`http://127.0.0.1:${port}`, "tenant-1"),
        cloudDiscoveryMetadata: cloudDiscoveryMetadata("login.fake.test"),
      },
      system: { networkClient: adaptToMsalNetworkClient(transport) },
    });
    const result = await app.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
    });
    transport.close();
    expect(result?.accessToken).toBe("at-1");
    expect(seen).toEqual(["POST /tenant-1/oauth2/v2.0/token", "POST /tenant-1/oauth2/v2.0/token"]);
    expect(delays).toEqual([1000]);
  });
});
