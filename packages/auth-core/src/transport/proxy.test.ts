import { describe, expect, it } from "vitest";
import { TransportError } from "../errors.js";
import { isProxyBypassed, proxyAuthorization, proxyForUrl } from "./proxy.js";

const bypassed = (url: string, noProxy: string) => isProxyBypassed(new URL(url), noProxy);

describe("NO_PROXY matching", () => {
  it("matches hosts, their subdomains and leading-dot domains", () => {
    expect(bypassed("https://login.microsoftonline.com/x", "microsoftonline.com")).toBe(true);
    expect(bypassed("https://microsoftonline.com/", ".microsoftonline.com")).toBe(true);
    expect(bypassed("https://a.b.example.com/", "*.example.com")).toBe(true);
    expect(bypassed("https://notexample.com/", "example.com")).toBe(false);
    expect(bypassed("https://example.com.evil.test/", "example.com")).toBe(false);
  });

  it("understands *, lists, case and white space", () => {
    expect(bypassed("https://anything.test/", "*")).toBe(true);
    expect(bypassed("https://graph.microsoft.com/", " foo.test ,GRAPH.microsoft.com")).toBe(true);
    expect(bypassed("https://graph.microsoft.com/", "foo.test bar.test")).toBe(false);
    expect(bypassed("https://graph.microsoft.com/", "")).toBe(false);
  });

  it("matches host:port only on that port, default ports included", () => {
    expect(bypassed("http://10.0.0.5:8080/", "10.0.0.5:8080")).toBe(true);
    expect(bypassed("http://10.0.0.5:8081/", "10.0.0.5:8080")).toBe(false);
    expect(bypassed("https://vault.azure.net/", "vault.azure.net:443")).toBe(true);
    expect(bypassed("http://vault.azure.net/", "vault.azure.net:443")).toBe(false);
  });

  it("matches IPv6 and IPv4 CIDR entries", () => {
    expect(bypassed("http://[::1]:3000/", "::1")).toBe(true);
    expect(bypassed("http://[::1]:3000/", "[::1]:3000")).toBe(true);
    expect(bypassed("http://10.1.2.3/", "10.0.0.0/8")).toBe(true);
    expect(bypassed("http://11.1.2.3/", "10.0.0.0/8")).toBe(false);
    expect(bypassed("http://host.test/", "10.0.0.0/8")).toBe(false);
  });
});

describe("proxyForUrl", () => {
  it("picks the variable by scheme, lower case first", () => {
    const env = {
      https_proxy: "http://lower:1",
      HTTPS_PROXY: "http://upper:2",
      HTTP_PROXY: "http://plain:3",
    };
    expect(proxyForUrl(new URL("https://x.test/"), env)?.host).toBe("lower:1");
    expect(proxyForUrl(new URL("http://x.test/"), env)?.host).toBe("plain:3");
    expect(proxyForUrl(new URL("https://x.test/"), { HTTP_PROXY: "http://plain:3" })).toBeUndefined();
  });

  it("adds a missing scheme and honours NO_PROXY", () => {
    expect(proxyForUrl(new URL("https://x.test/"), { HTTPS_PROXY: "proxy.corp:3128" })?.href).toBe(
      "http://proxy.corp:3128/",
    );
    expect(
      proxyForUrl(new URL("https://x.test/"), { HTTPS_PROXY: "proxy.corp:3128", no_proxy: "x.test" }),
    ).toBeUndefined();
  });

  it("never proxies the link-local metadata service", () => {
    expect(
      proxyForUrl(new URL("http://169.254.169.254/metadata/identity"), { HTTP_PROXY: "http://p:1" }),
    ).toBeUndefined();
  });

  it("rejects unusable proxy values", () => {
    expect(() => proxyForUrl(new URL("https://x.test/"), { HTTPS_PROXY: "socks5://p:1" })).toThrow(
      TransportError,
    );
    expect(() => proxyForUrl(new URL("https://x.test/"), { HTTPS_PROXY: "http://u:secretpw@" })).toThrow(
      /not an http/,
    );
    try {
      proxyForUrl(new URL("https://x.test/"), { HTTPS_PROXY: "ftp://u:secretpw@p" });
    } catch (error) {
      expect((error as Error).message).not.toContain("secretpw");
    }
  });

  it("builds Basic proxy credentials from user info", () => {
    expect(proxyAuthorization(new URL("http://us%20er:p%3Aw@p:1"))).toBe(
      `Basic ${Buffer.from("us er:p:w").toString("base64")}`,
    );
    expect(proxyAuthorization(new URL("http://p:1"))).toBeUndefined();
  });
});
