import { generateKeyPair, type KeyObject } from "node:crypto";
import { createSecureContext, type SecureContext } from "node:tls";
import { promisify } from "node:util";
import { buildCertificate } from "../certificates.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/** Names on the proxy's leaf certificate: the cloud endpoints by name, and wildcards for their domains. */
export const LEAF_NAMES: readonly string[] = [
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
  "login.windows.net",
  "sts.windows.net",
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
  "graph.microsoft.de",
  "management.azure.com",
  "management.usgovcloudapi.net",
  "management.chinacloudapi.cn",
  "management.microsoftazure.de",
  "management.core.windows.net",
  "api.securitycenter.microsoft.com",
  "api.security.microsoft.com",
  "api.loganalytics.io",
  "api.loganalytics.us",
  "api.loganalytics.azure.cn",
  "manage.office.com",
  "manage.office365.us",
  "*.microsoftonline.com",
  "*.microsoftonline.us",
  "*.microsoftonline.cn",
  "*.partner.microsoftonline.cn",
  "*.microsoftonline.de",
  "*.microsoft.com",
  "*.microsoft.us",
  "*.microsoft.de",
  "*.chinacloudapi.cn",
  "*.azure.com",
  "*.azure.us",
  "*.azure.cn",
  "*.azure.net",
  "*.usgovcloudapi.net",
  "*.microsoftazure.de",
  "*.cloudapi.de",
  "*.securitycenter.microsoft.com",
  "*.security.microsoft.com",
  "*.securitycenter.windows.com",
  "*.loganalytics.io",
  "*.loganalytics.us",
  "*.loganalytics.azure.cn",
  "*.vault.azure.net",
  "*.vault.usgovcloudapi.net",
  "*.vault.azure.cn",
  "*.vault.microsoftazure.de",
  "*.office.com",
  "*.office365.us",
  "*.windows.net",
  "*.core.windows.net",
];

/** Whether a certificate name (exact, or a one-label wildcard) covers a host name. */
export function nameCovers(pattern: string, host: string): boolean {
  if (!pattern.startsWith("*.")) return pattern === host;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".") && host.length > suffix.length;
}

/** The proxy's TLS material: a CA generated at start, and leaf certificates it signs. */
export interface ProxyTls {
  caCertPem: string;
  leafKeyPem: string;
  leafCertPem: string;
  /** The secure context for a server name (SNI); names off the leaf get their own certificate, cached. */
  contextFor(servername: string): SecureContext;
}

function leafCertificate(names: readonly string[], leafKey: KeyObject, caKey: KeyObject): string {
  return buildCertificate({
    subject: { commonName: names[0]!, organization: "msint Entra emulator" },
    issuer: { commonName: "msint Entra emulator CA", organization: "msint" },
    publicKey: leafKey,
    signingKey: caKey,
    days: 30,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", critical: true, digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: names.map((value) => ({ type: 2, value })) },
    ],
  });
}

/** Generate the CA (RSA 2048, valid 30 days) and the leaf for the Microsoft cloud names. */
export async function createProxyTls(): Promise<ProxyTls> {
  const [ca, leaf] = await Promise.all([
    generateKeyPairAsync("rsa", { modulusLength: 2048 }),
    generateKeyPairAsync("rsa", { modulusLength: 2048 }),
  ]);
  const caCertPem = buildCertificate({
    subject: { commonName: "msint Entra emulator CA", organization: "msint" },
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    days: 30,
    extensions: [
      { name: "basicConstraints", critical: true, cA: true, pathLenConstraint: 0 },
      { name: "keyUsage", critical: true, keyCertSign: true, cRLSign: true },
      { name: "subjectKeyIdentifier" },
    ],
  });
  const leafKeyPem = leaf.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const leafCertPem = leafCertificate(LEAF_NAMES, leaf.publicKey, ca.privateKey);
  const contexts = new Map<string, SecureContext>();
  const defaultContext = createSecureContext({ key: leafKeyPem, cert: leafCertPem });
  return {
    caCertPem,
    leafKeyPem,
    leafCertPem,
    contextFor(servername) {
      const host = servername.toLowerCase();
      if (!host || LEAF_NAMES.some((pattern) => nameCovers(pattern, host))) return defaultContext;
      let context = contexts.get(host);
      if (!context) {
        const cert = leafCertificate([host], leaf.publicKey, ca.privateKey);
        context = createSecureContext({ key: leafKeyPem, cert });
        contexts.set(host, context);
      }
      return context;
    },
  };
}
