import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress } from "../src/client-address.js";

describe("clientAddress", () => {
  const request = (peer: string, headers: Record<string, string | string[]> = {}) =>
    ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

  it("is the TCP peer unless a trusted proxy is configured: a forwarded header alone is never trusted", () => {
    expect(
      clientAddress(request("::ffff:10.0.0.2", { "x-forwarded-for": "203.0.113.9" }), undefined),
    ).toEqual({
      address: "10.0.0.2",
    });
  });

  it("takes the entry `hops` from the right of the configured header", () => {
    const proxy = { header: "x-forwarded-for", hops: 1 };
    // The client sent its own X-Forwarded-For; the proxy appended the real address.
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "1.1.1.1, 203.0.113.9" }), proxy)).toEqual({
      address: "203.0.113.9",
    });
    expect(
      clientAddress(request("10.0.0.3", { "x-forwarded-for": "1.1.1.1, 203.0.113.9, 10.0.0.2" }), {
        header: "x-forwarded-for",
        hops: 2,
      }),
    ).toEqual({ address: "203.0.113.9" });
    expect(
      clientAddress(request("10.0.0.2", { "x-real-ip": "[2001:db8::7]:443" }), {
        header: "x-real-ip",
        hops: 1,
      }),
    ).toEqual({ address: "2001:db8::7" });
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "198.51.100.4:5123" }), proxy)).toEqual({
      address: "198.51.100.4",
    });
  });

  it("falls back to the TCP peer, saying why, when the header is missing, short or not an address", () => {
    const proxy = { header: "x-forwarded-for", hops: 2 };
    expect(clientAddress(request("10.0.0.2"), proxy)).toEqual({
      address: "10.0.0.2",
      problem: "no x-forwarded-for header",
    });
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "203.0.113.9" }), proxy)).toEqual({
      address: "10.0.0.2",
      problem: "x-forwarded-for has fewer than 2 entries",
    });
    expect(
      clientAddress(request("10.0.0.2", { "x-forwarded-for": "evil\u001b[2J, 10.0.0.1" }), proxy),
    ).toEqual({
      address: "10.0.0.2",
      problem: "x-forwarded-for entry is not an IP address",
    });
  });
});
