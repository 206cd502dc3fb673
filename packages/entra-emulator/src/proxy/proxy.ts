import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCloudHost } from "../clouds.js";
import { createProxyTls } from "./tls.js";

/** How a request reached the emulator: directly, through the proxy's TLS tunnel, or as an absolute-form request. */
export interface RequestVia {
  secure: boolean;
  /** Absolute-form proxy requests (`GET http://graph.microsoft.com/v1.0/users`): the target URL. */
  absoluteUrl?: URL;
}

export type EmulatorHandler = (req: IncomingMessage, res: ServerResponse, via: RequestVia) => void;

/** A running proxy. */
export interface ProxyHandle {
  url: string;
  caCertPem: string;
  caCertFile: string;
  close(): Promise<void>;
}

/** `host:port` of a CONNECT request (IPv6 literals in brackets). */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  return match ? { host: match[1]!.toLowerCase(), port: Number(match[2]) } : undefined;
}

function refuse(socket: Socket, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

function refuseRequest(res: ServerResponse, message: string): void {
  res.writeHead(403, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(`${message}\n`);
}

/**
 * Start the HTTPS-terminating proxy: `CONNECT <cloud host>:443` gets a TLS tunnel whose certificate (signed by a
 * CA generated here) names the Microsoft cloud hosts; decrypted requests go to `handler`. Absolute-form plain-HTTP
 * requests to cloud hosts (or to the emulator itself) go there too. Anything else is refused with 403.
 */
export async function startProxy(options: {
  bindHost: string;
  urlHost: string;
  /** `host:port` values of the emulator itself (absolute-form requests to it are served). */
  emulatorAuthorities: Set<string>;
  handler: EmulatorHandler;
}): Promise<ProxyHandle> {
  const tls = await createProxyTls();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const tlsServer = createHttpsServer(
    {
      key: tls.leafKeyPem,
      cert: tls.leafCertPem,
      SNICallback: (servername, callback) => callback(null, tls.contextFor(servername)),
    },
    (req, res) => options.handler(req, res, { secure: true }),
  );
  tlsServer.on("tlsClientError", (_error, socket) => socket.destroy());

  const proxy = createServer((req, res) => {
    const target = req.url ?? "/";
    if (!/^https?:\/\//i.test(target)) return options.handler(req, res, { secure: false });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return refuseRequest(res, "Malformed proxy request target.");
    }
    const allowed =
      url.protocol === "http:" &&
      (isCloudHost(url.hostname) || options.emulatorAuthorities.has(url.host.toLowerCase()));
    if (!allowed) return refuseRequest(res, `The msint emulator proxy does not forward to ${url.host}.`);
    options.handler(req, res, { secure: false, absoluteUrl: url });
  });
  proxy.on("connection", track);
  proxy.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const authority = parseAuthority(req.url ?? "");
    if (authority?.port !== 443 || !isCloudHost(authority.host)) {
      return refuse(
        socket,
        `The msint emulator proxy only tunnels to Microsoft cloud hosts on port 443, not ${req.url}.`,
      );
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit("connection", socket);
  });
  proxy.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    proxy.once("error", reject);
    proxy.listen(0, options.bindHost, () => {
      proxy.off("error", reject);
      resolve();
    });
  });
  const directory = mkdtempSync(join(tmpdir(), "msint-emulator-ca-"));
  const caCertFile = join(directory, "ca.pem");
  writeFileSync(caCertFile, tls.caCertPem);
  return {
    url: `http://${options.urlHost}:${(proxy.address() as AddressInfo).port}`,
    caCertPem: tls.caCertPem,
    caCertFile,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      tlsServer.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
