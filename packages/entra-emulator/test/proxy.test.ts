import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClientAssertion,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { decodeJwt } from "./helpers.js";

interface ProxyResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Open a CONNECT tunnel through the emulator's proxy. */
function tunnel(emulator: RunningEmulator, authority: string): Promise<{ status: number; socket: Socket }> {
  const proxy = new URL(emulator.proxyUrl!);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: authority });
    req.on("connect", (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on("error", reject);
    req.end();
  });
}

/** An https request to a real cloud URL, tunnelled through the proxy and verified against the emulator's CA. */
async function viaProxy(
  emulator: RunningEmulator,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ProxyResponse> {
  const target = new URL(url);
  const { status, socket } = await tunnel(emulator, `${target.hostname}:443`);
  if (status !== 200) throw new Error(`CONNECT refused: ${status}`);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: target.hostname,
        port: 443,
        defaultPort: 443,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? "GET",
        headers: init.headers,
        createConnection: () => tlsConnect({ socket, servername: target.hostname, ca: emulator.caCertPem }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

function form(fields: Record<string, string>) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

const CLOUDS = [
  {
    name: "US Government",
    login: "https://login.microsoftonline.us",
    graph: "https://graph.microsoft.us",
    issuer: `https://login.microsoftonline.us/${DEMO_TENANT_ID}/`,
  },
  {
    name: "China (21Vianet)",
    login: "https://login.chinacloudapi.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    issuer: `https://sts.chinacloudapi.cn/${DEMO_TENANT_ID}/`,
  },
] as const;

describe("national clouds through the HTTPS proxy", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ proxy: true });
  });
  afterAll(() => emulator.close());

  it("exposes the proxy URL and the CA (PEM and a file for NODE_EXTRA_CA_CERTS)", () => {
    expect(emulator.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.caCertPem).toContain("-----BEGIN CERTIFICATE-----");
    expect(readFileSync(emulator.caCertFile!, "utf8")).toBe(emulator.caCertPem);
  });

  for (const cloud of CLOUDS) {
    it(`${cloud.name}: discovery, client credentials and Graph on the cloud's own hosts`, async () => {
      const discovery = await viaProxy(
        emulator,
        `${cloud.login}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      );
      expect(discovery.status).toBe(200);
      const document = JSON.parse(discovery.body) as Record<string, string>;
      expect(document["issuer"]).toBe(`${cloud.login}/${DEMO_TENANT_ID}/v2.0`);
      expect(document["token_endpoint"]).toBe(`${cloud.login}/${DEMO_TENANT_ID}/oauth2/v2.0/token`);
      expect(document["msgraph_host"]).toBe(new URL(cloud.graph).host);

      const token = await viaProxy(
        emulator,
        document["token_endpoint"]!,
        form({
          grant_type: "client_credentials",
          client_id: DEMO_CLIENT_ID,
          client_secret: DEMO_CLIENT_SECRET,
          scope: `${cloud.graph}/.default`,
        }),
      );
      expect(token.status).toBe(200);
      const accessToken = (JSON.parse(token.body) as Record<string, string>)["access_token"]!;
      expect(decodeJwt(accessToken).claims).toMatchObject({ aud: cloud.graph, iss: cloud.issuer });

      const users = await viaProxy(emulator, `${cloud.graph}/v1.0/users?$top=2`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(users.status).toBe(200);
      const page = JSON.parse(users.body) as Record<string, unknown>;
      expect(page["@odata.context"]).toBe(`${cloud.graph}/v1.0/$metadata#users`);
      expect(page["@odata.nextLink"]).toMatch(
        new RegExp(`^${cloud.graph.replace(/\./g, "\\.")}/v1\\.0/users\\?`),
      );
      // The public cloud's Graph refuses this cloud's token.
      const publicGraph = await viaProxy(emulator, "https://graph.microsoft.com/v1.0/users", {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(publicGraph.status).toBe(401);
      expect(publicGraph.body).toContain("Invalid audience");

      const hosts = emulator.requests.slice(-4).map((entry) => entry.host);
      const login = new URL(cloud.login).host;
      expect(hosts).toEqual([login, login, new URL(cloud.graph).host, "graph.microsoft.com"]);
    });
  }

  it("checks certificate assertions against the https token endpoint the client used", async () => {
    const certificate = emulator.demoCertificate!;
    const tokenEndpoint = `https://login.microsoftonline.us/${DEMO_TENANT_ID}/oauth2/v2.0/token`;
    const fields = (aud: string) => ({
      grant_type: "client_credentials",
      client_id: DEMO_CERT_CLIENT_ID,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: createClientAssertion({
        clientId: DEMO_CERT_CLIENT_ID,
        tokenEndpoint: aud,
        privateKeyPem: certificate.privateKeyPem,
        thumbprintSha256: certificate.thumbprintSha256,
      }),
      scope: "https://graph.microsoft.us/.default",
    });
    expect((await viaProxy(emulator, tokenEndpoint, form(fields(tokenEndpoint)))).status).toBe(200);
    const wrongCloud = await viaProxy(
      emulator,
      tokenEndpoint,
      form(fields(`https://login.microsoftonline.com/${DEMO_TENANT_ID}/oauth2/v2.0/token`)),
    );
    expect(wrongCloud.status).toBe(401);
    expect(JSON.parse(wrongCloud.body)["error_codes"]).toEqual([50012]);
  });

  it("gives delegated short scopes the cloud's Graph audience, and device codes the cloud's verification URI", async () => {
    const start = await viaProxy(
      emulator,
      "https://login.microsoftonline.us/organizations/oauth2/v2.0/devicecode",
      form({ client_id: DEMO_PUBLIC_CLIENT_ID, scope: "User.Read offline_access" }),
    );
    const device = JSON.parse(start.body) as Record<string, string>;
    expect(device["verification_uri"]).toBe("https://login.microsoftonline.us/devicelogin");
    emulator.approveDeviceCode(device["user_code"]!, "adelev@contoso.onmicrosoft.com");
    const token = await viaProxy(
      emulator,
      "https://login.microsoftonline.us/organizations/oauth2/v2.0/token",
      form({
        grant_type: "device_code",
        client_id: DEMO_PUBLIC_CLIENT_ID,
        device_code: device["device_code"]!,
      }),
    );
    expect(token.status).toBe(200);
    const claims = decodeJwt((JSON.parse(token.body) as Record<string, string>)["access_token"]!).claims;
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.us",
      upn: "adelev@contoso.onmicrosoft.com",
    });
    const page = await viaProxy(emulator, "https://login.microsoftonline.us/devicelogin");
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="otc"');
  });

  it("tunnels any Microsoft cloud host (certificates minted per name when needed)", async () => {
    for (const host of [
      "api-us.securitycenter.microsoft.com",
      "deep.name.under.vault.azure.net",
      "management.chinacloudapi.cn",
    ]) {
      const response = await viaProxy(emulator, `https://${host}/nothing`);
      expect(response.status).toBe(404);
      expect(emulator.requests.at(-1)!.host).toBe(host);
    }
  });

  it("refuses CONNECT to other hosts and ports with 403", async () => {
    expect((await tunnel(emulator, "example.com:443")).status).toBe(403);
    expect((await tunnel(emulator, "graph.microsoft.com:80")).status).toBe(403);
    expect((await tunnel(emulator, "169.254.169.254:443")).status).toBe(403);
  });

  it("serves absolute-form plain-HTTP proxy requests to cloud hosts, and refuses others", async () => {
    const proxy = new URL(emulator.proxyUrl!);
    const get = (target: string) =>
      new Promise<ProxyResponse>((resolve, reject) => {
        const req = httpRequest(
          { host: proxy.hostname, port: proxy.port, path: target, headers: { host: new URL(target).host } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString(),
              }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      });
    const discovery = await get(
      `http://login.microsoftonline.com/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    );
    expect(discovery.status).toBe(200);
    expect(JSON.parse(discovery.body)["issuer"]).toBe(
      `http://login.microsoftonline.com/${DEMO_TENANT_ID}/v2.0`,
    );
    expect(emulator.requests.at(-1)!.host).toBe("login.microsoftonline.com");
    expect((await get("http://example.com/")).status).toBe(403);
  });
});
