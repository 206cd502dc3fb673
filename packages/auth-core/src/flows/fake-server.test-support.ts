// Test support only (not exported): small node:http servers that answer like Entra ID, IMDS or a broker, and
// record what arrived on the wire.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTransport, type NodeTransport } from "../transport/index.js";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body read as a form. */
  form: URLSearchParams;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (text/plain unless headers say otherwise). */
  text?: string;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the handler. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = Buffer.concat(chunks).toString("utf8");
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        form: new URLSearchParams(body),
      };
      requests.push(recorded);
      try {
        const reply = await current(recorded);
        const headers: Record<string, string> = { ...(reply.headers ?? {}) };
        let payload = "";
        if (reply.json !== undefined) {
          headers["content-type"] ??= "application/json; charset=utf-8";
          payload = JSON.stringify(reply.json);
        } else if (reply.text !== undefined) {
          headers["content-type"] ??= "text/plain; charset=utf-8";
          payload = reply.text;
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(payload);
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A transport that does not wait between retries. */
export function testTransport(maxRetries = 0): NodeTransport {
  return createTransport({ maxRetries, sleep: async () => {}, timeoutMs: 5_000 });
}

/** An Entra token-endpoint error body, shaped like the v2 endpoint (and the emulator) writes it. */
export function entraError(status: number, error: string, code: number, message: string): Reply {
  const timestamp = "2026-01-01 00:00:00Z";
  return {
    status,
    json: {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: 0000-trace\r\nCorrelation ID: 0000-correlation\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: "0000-trace",
      correlation_id: "0000-correlation",
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

/** A successful token response. */
export function tokenReply(fields: Record<string, unknown> & { access_token: string }): Reply {
  return { json: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, ...fields } };
}

/** Decodes a compact JWT's header and claims (no verification). */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString("utf8")) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims!, "base64url").toString("utf8")) as Record<string, unknown>,
  };
}
