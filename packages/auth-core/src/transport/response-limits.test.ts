/**
 * Response caps of the transport against a loopback server: a successful answer over its limit stops the reading
 * and is one message naming the limit and the host; a compressed answer cannot expand past it; an error answer is
 * kept up to ERROR_BODY_MAX_BYTES and marked truncated.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { TransportError } from "../errors.js";
import { createLogger } from "../log.js";
import {
  createTransport,
  ERROR_BODY_MAX_BYTES,
  formatBytes,
  type NodeTransport,
  TOKEN_RESPONSE_LIMIT,
} from "./index.js";

const servers: Server[] = [];
const transports: NodeTransport[] = [];

/** Serves `status` with `body` (optionally gzip-compressed), counting how many bytes it managed to write. */
async function serve(
  status: number,
  body: Buffer,
  options: { gzip?: boolean; chunked?: boolean } = {},
): Promise<{ url: string; written: () => number }> {
  let written = 0;
  const server = createServer((_req, res) => {
    const payload = options.gzip ? gzipSync(body) : body;
    res.writeHead(status, {
      "content-type": "application/json",
      ...(options.gzip ? { "content-encoding": "gzip" } : {}),
      ...(options.chunked ? {} : { "content-length": String(payload.length) }),
    });
    // Written in 16 KiB pieces, as a real server streams: a reader that stops early leaves most of it unsent.
    const piece = 16 * 1024;
    let offset = 0;
    const next = () => {
      while (offset < payload.length) {
        const chunk = payload.subarray(offset, offset + piece);
        offset += chunk.length;
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", next);
          return;
        }
      }
      res.end();
    };
    res.on("error", () => {});
    next();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    written: () => written,
  };
}

function transport(maxResponseBytes?: number): NodeTransport {
  const created = createTransport({
    logger: createLogger({ level: "silent" }),
    maxRetries: 0,
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  });
  transports.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
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

describe("response caps", () => {
  it("names the sizes as people read them", () => {
    expect(formatBytes(256 * 1024)).toBe("256 KiB");
    expect(formatBytes(64 * 1024 * 1024)).toBe("64 MiB");
    expect(formatBytes(1536 * 1024)).toBe("1.5 MiB");
    expect(formatBytes(900)).toBe("900 bytes");
  });

  it("a token answer over 256 KiB (Content-Length says so) fails at once, naming the limit and the host", async () => {
    const server = await serve(200, Buffer.alloc(300 * 1024, "a"));
    const error = await failure(
      transport().request({
        method: "POST",
        url: server.url,
        body: "x",
        responseLimit: TOKEN_RESPONSE_LIMIT,
      }),
    );
    expect(error.kind).toBe("too_large");
    expect(error.message).toMatch(
      /^The answer of 127\.0\.0\.1:\d+ is larger than 256 KiB, the most msint reads of a token endpoint's answer: it stopped reading\./,
    );
  });

  it("a chunked answer with no length stops being read at the cap", async () => {
    const server = await serve(200, Buffer.alloc(8 * 1024 * 1024, "b"), { chunked: true });
    const error = await failure(transport(512 * 1024).request({ method: "GET", url: server.url }));
    expect(error.kind).toBe("too_large");
    expect(error.message).toMatch(/larger than 512 KiB/);
    // The reader hung up: the server could not push all 8 MiB (socket buffers hold far less).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.written()).toBeLessThan(8 * 1024 * 1024);
  });

  it("a small gzip body that expands past the cap (a zip bomb) is refused", async () => {
    const server = await serve(200, Buffer.alloc(4 * 1024 * 1024, 0x20), { gzip: true, chunked: true });
    const error = await failure(transport(1024 * 1024).request({ method: "GET", url: server.url }));
    expect(error.kind).toBe("too_large");
    expect(error.message).toMatch(/larger than 1 MiB, the most msint reads of an answer/);
  });

  it("an answer at the cap is read whole", async () => {
    const body = Buffer.alloc(64 * 1024, "c");
    const server = await serve(200, body);
    const response = await transport(64 * 1024).request({ method: "GET", url: server.url });
    expect(response.body).toHaveLength(64 * 1024);
    expect(response.bodyTruncated).toBeUndefined();
  });

  it("an error answer over ERROR_BODY_MAX_BYTES keeps its beginning and is marked truncated", async () => {
    const body = Buffer.concat([
      Buffer.from('{"error":{"code":"Big","message":"'),
      Buffer.alloc(1024 * 1024, "d"),
    ]);
    const server = await serve(400, body, { chunked: true });
    const response = await transport().request({ method: "GET", url: server.url });
    expect(response.status).toBe(400);
    expect(response.bodyTruncated).toBe(true);
    expect(response.body.length).toBe(ERROR_BODY_MAX_BYTES);
    expect(response.body.startsWith('{"error":{"code":"Big"')).toBe(true);
  });
});
