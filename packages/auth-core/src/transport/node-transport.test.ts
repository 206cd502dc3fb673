import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TransportError } from "../errors.js";
import { createLogger } from "../log.js";
import { createRedactor } from "../redact.js";
import { createTransport, type NodeTransport, type TransportOptions } from "./index.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
const transports: NodeTransport[] = [];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A local HTTP server that reads the request body before calling `handler`; `hits` counts requests. */
async function serve(handler: Handler): Promise<{ url: string; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handler(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, hits: () => hits };
}

function transport(options: TransportOptions = {}): NodeTransport {
  const created = createTransport({ logger: createLogger({ level: "silent" }), ...options });
  transports.push(created);
  return created;
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

async function transportError(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TransportError);
    return error as TransportError;
  }
  throw new Error("expected a TransportError");
}

afterEach(async () => {
  for (const created of transports.splice(0)) created.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections?.();
          server.close(() => resolve());
        }),
    ),
  );
});

describe("basic requests", () => {
  it("returns status, lower-case headers and the body", async () => {
    const server = await serve((_req, res) => {
      res.setHeader("X-Custom", "yes");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.end("hello");
    });
    const response = await transport().request({ method: "GET", url: `${server.url}/path?x=1` });
    expect(response.status).toBe(200);
    expect(response.body).toBe("hello");
    expect(response.headers["x-custom"]).toBe("yes");
    expect(response.headers["set-cookie"]).toBe("a=1, b=2");
    expect(response.url).toBe(`${server.url}/path?x=1`);
  });

  it("sends bodies with Content-Length and the caller's headers", async () => {
    let seen: { headers: IncomingMessage["headers"]; body: string; method?: string } | undefined;
    const server = await serve((req, res, body) => {
      seen = { headers: req.headers, body, method: req.method };
      res.end("{}");
    });
    const body = "grant_type=client_credentials&scope=x%2F.default";
    await transport({ userAgent: "msint-test/1.0" }).request({
      method: "POST",
      url: server.url,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(seen?.method).toBe("POST");
    expect(seen?.body).toBe(body);
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(seen?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen?.headers["user-agent"]).toBe("msint-test/1.0");
  });

  it("decompresses gzip and br bodies", async () => {
    const json = JSON.stringify({ value: "ü".repeat(50) });
    let acceptEncoding: string | undefined;
    const server = await serve((req, res) => {
      acceptEncoding = req.headers["accept-encoding"];
      if (req.url === "/gzip") {
        res.setHeader("Content-Encoding", "gzip");
        res.end(gzipSync(json));
      } else {
        res.setHeader("Content-Encoding", "br");
        res.end(brotliCompressSync(json));
      }
    });
    const client = transport();
    expect((await client.request({ method: "GET", url: `${server.url}/gzip` })).body).toBe(json);
    expect((await client.request({ method: "GET", url: `${server.url}/br` })).body).toBe(json);
    expect(acceptEncoding).toContain("gzip");
  });

  it("handles HEAD and empty bodies", async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    const response = await transport().request({ method: "HEAD", url: server.url });
    expect(response).toMatchObject({ status: 204, body: "" });
  });

  it("rejects non-http URLs", async () => {
    await expect(transport().request({ method: "GET", url: "ftp://x/" })).rejects.toThrow(/http and https/);
    await expect(transport().request({ method: "GET", url: "/relative" })).rejects.toThrow(
      /not an absolute URL/,
    );
  });
});

describe("timeouts and network failures", () => {
  it("times out an attempt that never gets an answer, within bounds", async () => {
    const server = await serve(() => {
      // Never answer.
    });
    const { delays, sleep } = recordingSleep();
    const started = Date.now();
    const error = await transportError(
      transport({ timeoutMs: 150, maxRetries: 1, sleep }).request({ method: "GET", url: server.url }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.kind).toBe("timeout");
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(
      new RegExp(`^Request to 127\\.0\\.0\\.1:${server.port} timed out after 150 ms \\(2 attempts\\)\\.`),
    );
    expect(delays).toHaveLength(1);
    expect(server.hits()).toBe(2);
  });

  it("respects a per-request timeout", async () => {
    const server = await serve(() => {});
    const error = await transportError(
      transport({ maxRetries: 0 }).request({ method: "GET", url: server.url, timeoutMs: 100 }),
    );
    expect(error.message).toContain("timed out after 100 ms (1 attempt)");
  });

  it("reports a refused connection clearly and without retrying", async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    servers.pop();
    const { delays, sleep } = recordingSleep();
    const error = await transportError(
      transport({ sleep }).request({ method: "GET", url: `http://127.0.0.1:${port}/` }),
    );
    expect(error.kind).toBe("connection_refused");
    expect(error.message).toBe(`Could not connect to 127.0.0.1:${port} (connection refused).`);
    expect(delays).toEqual([]);
  });

  it("retries a reset connection and then succeeds", async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (calls === 1) req.socket.destroy();
      else res.end("ok");
    });
    const { delays, sleep } = recordingSleep();
    const response = await transport({ sleep }).request({ method: "GET", url: server.url });
    expect(response.body).toBe("ok");
    expect(calls).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it("gives up on connections that keep being reset", async () => {
    const server = await serve((req) => req.socket.destroy());
    const { sleep } = recordingSleep();
    const error = await transportError(
      transport({ sleep, maxRetries: 2 }).request({ method: "GET", url: server.url }),
    );
    expect(error.kind).toBe("connection_reset");
    expect(error.message).toBe(
      `The connection to 127.0.0.1:${server.port} was closed before a complete response arrived (3 attempts).`,
    );
  });

  it("does not resend a JSON POST after a reset", async () => {
    const server = await serve((req) => req.socket.destroy());
    const { delays, sleep } = recordingSleep();
    const error = await transportError(
      transport({ sleep }).request({
        method: "POST",
        url: server.url,
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(error.kind).toBe("connection_reset");
    expect(delays).toEqual([]);
    expect(server.hits()).toBe(1);
  });

  it("can be cancelled", async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await transportError(
      transport().request({ method: "GET", url: server.url, signal: controller.signal }),
    );
    expect(error.kind).toBe("aborted");
  });
});

describe("retries on status codes", () => {
  const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);

  function sequence(responses: Array<{ status: number; headers?: Record<string, string>; body?: string }>) {
    let index = 0;
    return serve((_req, res) => {
      const next = responses[Math.min(index++, responses.length - 1)]!;
      res.writeHead(next.status, next.headers ?? {});
      res.end(next.body ?? "");
    });
  }

  it("honours Retry-After in seconds on 429", async () => {
    const server = await sequence([
      { status: 429, headers: { "Retry-After": "2" } },
      { status: 200, body: "done" },
    ]);
    const { delays, sleep } = recordingSleep();
    const response = await transport({ sleep }).request({ method: "GET", url: server.url });
    expect(response.body).toBe("done");
    expect(delays).toEqual([2000]);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const server = await sequence([
      { status: 429, headers: { "Retry-After": new Date(T0 + 5000).toUTCString() } },
      { status: 200, body: "done" },
    ]);
    const { delays, sleep } = recordingSleep();
    const response = await transport({ sleep, now: () => T0 }).request({ method: "GET", url: server.url });
    expect(response.status).toBe(200);
    expect(delays).toEqual([5000]);
  });

  it("backs off with jitter on 503 without Retry-After, then succeeds", async () => {
    const server = await sequence([{ status: 503 }, { status: 200, body: "ok" }]);
    const { delays, sleep } = recordingSleep();
    const response = await transport({ sleep, random: () => 0.5 }).request({
      method: "GET",
      url: server.url,
    });
    expect(response.body).toBe("ok");
    expect(delays).toEqual([375]);
  });

  it("gives up after maxRetries with a clear message", async () => {
    const server = await sequence([
      { status: 503, body: JSON.stringify({ error: { code: "ServiceUnavailable", message: "Busy." } }) },
    ]);
    const { delays, sleep } = recordingSleep();
    const error = await transportError(
      transport({ sleep, random: () => 0 }).request({ method: "GET", url: server.url }),
    );
    expect(error.kind).toBe("retries_exhausted");
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(4);
    expect(error.message).toBe(
      `127.0.0.1:${server.port} still answered HTTP 503 after 4 attempts. Try again later. Last response: ServiceUnavailable: Busy.`,
    );
    expect(delays).toEqual([250, 500, 1000]);
    expect(server.hits()).toBe(4);
  });

  it("fails at once when Retry-After exceeds the cap", async () => {
    const server = await sequence([{ status: 429, headers: { "Retry-After": "120" } }]);
    const { delays, sleep } = recordingSleep();
    const error = await transportError(transport({ sleep }).request({ method: "GET", url: server.url }));
    expect(error.kind).toBe("throttled");
    expect(error.message).toBe(
      `127.0.0.1:${server.port} asked to wait 2 min before retrying (HTTP 429), longer than the 60 s this command waits. Try again later.`,
    );
    expect(delays).toEqual([]);
    expect(server.hits()).toBe(1);
  });

  it("fails at once when Retry-After would pass the deadline", async () => {
    const server = await sequence([{ status: 503, headers: { "Retry-After": "30" } }]);
    const { delays, sleep } = recordingSleep();
    const error = await transportError(
      transport({ sleep, deadlineMs: 10_000 }).request({ method: "GET", url: server.url }),
    );
    expect(error.kind).toBe("deadline");
    expect(error.message).toContain("waiting 30 s more would pass the 10 s limit");
    expect(delays).toEqual([]);
  });

  it("retries token POSTs but returns other POSTs' errors as they are", async () => {
    const server = await sequence([{ status: 503 }, { status: 200, body: "token" }]);
    const { sleep } = recordingSleep();
    const client = transport({ sleep });
    const form = await client.request({
      method: "POST",
      url: server.url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(form.body).toBe("token");

    const other = await sequence([{ status: 503, body: "busy" }]);
    const json = await client.request({
      method: "POST",
      url: other.url,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(503);
    expect(other.hits()).toBe(1);
    const noRetry = await client.request({ method: "GET", url: other.url, retry: false });
    expect(noRetry.status).toBe(503);
    expect(other.hits()).toBe(2);
  });

  it("does not retry statuses outside the list", async () => {
    const server = await sequence([{ status: 404 }]);
    const response = await transport().request({ method: "GET", url: server.url });
    expect(response.status).toBe(404);
    expect(server.hits()).toBe(1);
  });
});

describe("proxy", () => {
  async function recordingProxy() {
    const seen: Array<{ url?: string; host?: string; authorization?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host, authorization: req.headers["proxy-authorization"] });
      res.end("via proxy");
    });
    const port = await listen(server);
    return { port, seen };
  }

  it("sends http targets through the proxy in absolute form, with credentials from the proxy URL", async () => {
    const proxy = await recordingProxy();
    const client = transport({
      proxy: true,
      env: { HTTP_PROXY: `http://alice:s%40cret@127.0.0.1:${proxy.port}` },
    });
    const response = await client.request({ method: "GET", url: "http://example.test/path?q=1#frag" });
    expect(response.body).toBe("via proxy");
    expect(proxy.seen).toEqual([
      {
        url: "http://example.test/path?q=1",
        host: "example.test",
        authorization: `Basic ${Buffer.from("alice:s@cret").toString("base64")}`,
      },
    ]);
  });

  it("ignores proxy variables when the proxy flag is off", async () => {
    const proxy = await recordingProxy();
    const target = await serve((_req, res) => res.end("direct"));
    const client = transport({ proxy: false, env: { HTTP_PROXY: `http://127.0.0.1:${proxy.port}` } });
    expect((await client.request({ method: "GET", url: target.url })).body).toBe("direct");
    expect(proxy.seen).toEqual([]);
  });

  it("bypasses the proxy for NO_PROXY hosts", async () => {
    const proxy = await recordingProxy();
    const target = await serve((_req, res) => res.end("direct"));
    const env = { http_proxy: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "localhost, 127.0.0.1" };
    const client = transport({ proxy: true, env });
    expect((await client.request({ method: "GET", url: target.url })).body).toBe("direct");
    expect(proxy.seen).toEqual([]);
    const proxied = transport({ proxy: true, env: { http_proxy: env.http_proxy, NO_PROXY: ".example.com" } });
    expect((await proxied.request({ method: "GET", url: target.url })).body).toBe("via proxy");
    expect(proxy.seen).toHaveLength(1);
  });

  it("names a proxy that refuses connections", async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    servers.pop();
    const error = await transportError(
      transport({ proxy: true, env: { HTTP_PROXY: `http://127.0.0.1:${port}` } }).request({
        method: "GET",
        url: "http://example.test/",
      }),
    );
    expect(error.kind).toBe("connection_refused");
    expect(error.message).toContain(`Could not connect to the proxy 127.0.0.1:${port} (connection refused)`);
  });

  it("rejects a malformed proxy variable", async () => {
    const error = await transportError(
      transport({ proxy: true, env: { HTTPS_PROXY: "http://" } }).request({
        method: "GET",
        url: "https://x.test/",
      }),
    );
    expect(error.kind).toBe("proxy");
    expect(error.message).toContain("HTTPS_PROXY");
  });
});

function opensslAvailable(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!opensslAvailable())("TLS and CONNECT tunnels", () => {
  let dir: string;
  let certFile: string;
  let key: string;
  let cert: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "msint-transport-"));
    certFile = join(dir, "cert.pem");
    const keyFile = join(dir, "key.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "2",
        "-subj",
        "/CN=secure.test",
        "-addext",
        "subjectAltName=DNS:secure.test,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    key = readFileSync(keyFile, "utf8");
    cert = readFileSync(certFile, "utf8");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function httpsTarget() {
    const server = createHttpsServer({ key, cert }, (req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ host: req.headers.host, path: req.url }));
    });
    const port = await listen(server as unknown as Server);
    return port;
  }

  /** A CONNECT proxy that tunnels every request to the local https target, recording what was asked. */
  async function tunnelProxy(targetPort: number, requireAuth?: string) {
    const connects: Array<{ authority?: string; authorization?: string }> = [];
    const server = createServer((_req, res) => {
      res.statusCode = 405;
      res.end();
    });
    server.on("connect", (req: IncomingMessage, client, head: Buffer) => {
      connects.push({ authority: req.url, authorization: req.headers["proxy-authorization"] });
      if (requireAuth && req.headers["proxy-authorization"] !== requireAuth) {
        client.end("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const upstream = netConnect(targetPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    const port = await listen(server);
    return { port, connects };
  }

  it("refuses an untrusted certificate with a helpful message", async () => {
    const target = await httpsTarget();
    const proxy = await tunnelProxy(target);
    const error = await transportError(
      transport({ proxy: true, env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` } }).request({
        method: "GET",
        url: "https://secure.test/hello",
      }),
    );
    expect(error.kind).toBe("tls");
    expect(error.message).toBe(
      "TLS certificate of host secure.test is not trusted: it is self-signed. Set NODE_EXTRA_CA_CERTS to your CA bundle, or tick Trust any certificate (not secure) for this instance.",
    );
    expect(proxy.connects[0]?.authority).toBe("secure.test:443");
  });

  it("works through the tunnel with insecure", async () => {
    const target = await httpsTarget();
    const proxy = await tunnelProxy(target);
    const client = transport({
      insecure: true,
      proxy: true,
      env: { HTTPS_PROXY: `127.0.0.1:${proxy.port}` },
    });
    const response = await client.request({ method: "GET", url: "https://secure.test/hello?x=1" });
    expect(JSON.parse(response.body)).toEqual({ host: "secure.test", path: "/hello?x=1" });
    // A second request reuses the pooled tunnel.
    await client.request({ method: "GET", url: "https://secure.test/again" });
    expect(proxy.connects).toHaveLength(1);
  });

  it("works through the tunnel with caFile, sending proxy credentials", async () => {
    const target = await httpsTarget();
    const expected = `Basic ${Buffer.from("bob:pw").toString("base64")}`;
    const proxy = await tunnelProxy(target, expected);
    const client = transport({
      caFile: certFile,
      proxy: true,
      env: { HTTPS_PROXY: `http://bob:pw@127.0.0.1:${proxy.port}` },
    });
    const response = await client.request({ method: "GET", url: "https://secure.test/ca" });
    expect(response.status).toBe(200);
    expect(proxy.connects[0]?.authorization).toBe(expected);
  });

  it("explains a proxy that wants credentials", async () => {
    const target = await httpsTarget();
    const proxy = await tunnelProxy(target, "Basic nope");
    const error = await transportError(
      transport({
        insecure: true,
        proxy: true,
        env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` },
      }).request({
        method: "GET",
        url: "https://secure.test/",
      }),
    );
    expect(error.kind).toBe("proxy");
    expect(error.message).toContain("refused to open a tunnel to secure.test:443");
    expect(error.message).toContain("requires authentication");
  });

  it("trusts caFile on direct connections and verifies by default", async () => {
    const target = await httpsTarget();
    const url = `https://127.0.0.1:${target}/direct`;
    expect((await transport({ caFile: certFile }).request({ method: "GET", url })).status).toBe(200);
    expect((await transportError(transport().request({ method: "GET", url }))).kind).toBe("tls");
  });

  it("reports an unreadable caFile", async () => {
    const error = await transportError(
      transport({ caFile: join(dir, "missing.pem") }).request({ method: "GET", url: "https://127.0.0.1:1/" }),
    );
    expect(error.message).toContain("Could not read the CA bundle");
    expect(error.message).toContain("ENOENT");
  });
});

describe("logging", () => {
  it("logs requests at debug level without secrets", async () => {
    const server = await serve((_req, res) => res.end('{"access_token":"at-value-123456"}'));
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      sink: (line) => lines.push(line),
      redactor: createRedactor(),
    });
    const client = createTransport({ logger });
    transports.push(client);
    await client.request({
      method: "POST",
      url: `${server.url}/token?code=authcode-123456&state=s1`,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic c2VjcmV0" },
      body: "client_id=app&client_secret=TopSecret-9876&grant_type=client_credentials",
    });
    const log = lines.join("\n");
    expect(log).toContain("formKeys=client_id,client_secret,grant_type");
    expect(log).toContain("code=[REDACTED]");
    expect(log).toContain("state=s1");
    expect(log).toContain("status=200");
    expect(log).not.toContain("TopSecret-9876");
    expect(log).not.toContain("authcode-123456");
    expect(log).not.toContain("at-value-123456");
    expect(log).not.toContain("c2VjcmV0");
  });

  it("keeps URLs in errors redacted", async () => {
    const server = await serve(() => {});
    const error = await transportError(
      transport({ maxRetries: 0 }).request({
        method: "GET",
        url: `${server.url}/x?client_secret=abcdef123`,
        timeoutMs: 50,
      }),
    );
    expect(error.message).not.toContain("abcdef123");
  });
});
