import { describe, expect, it } from "vitest";
import {
  AZURE_CLOUD_OPTIONS,
  authorityMetadata,
  authorizeEndpoint,
  CLOUD_APPS_ENDPOINTS,
  CLOUDS,
  type CloudEndpoints,
  cloudDiscoveryMetadata,
  cloudIdFromGraphUrl,
  customCloud,
  DEFENDER_ENDPOINT_TYPES,
  DEFENDER_ENDPOINTS,
  deviceCodeEndpoint,
  getCloud,
  getCloudAppsEndpoint,
  getDefenderEndpoint,
  isLoopbackHost,
  isLoopbackUrl,
  resourceScope,
  tokenEndpoint,
} from "./clouds.js";
import { ParameterError } from "./errors.js";

function parameterErrorOf(run: () => unknown): ParameterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterError);
    return error as ParameterError;
  }
  throw new Error("expected a ParameterError");
}

describe("cloud catalog", () => {
  const expected: Array<[string, Omit<CloudEndpoints, "id" | "displayName">]> = [
    [
      "Worldwide",
      {
        loginHost: "https://login.microsoftonline.com",
        graph: "https://graph.microsoft.com",
        arm: "https://management.azure.com",
        logAnalytics: "https://api.loganalytics.io",
        keyVault: "https://vault.azure.net",
        keyVaultDnsSuffix: ".vault.azure.net",
        storageSuffix: "core.windows.net",
        portal: "https://portal.azure.com",
        exchangeOnline: "https://outlook.office365.com",
        managementCore: "https://management.core.windows.net",
        appInsights: "https://api.applicationinsights.io",
      },
    ],
    [
      "US GCC",
      {
        loginHost: "https://login.microsoftonline.com",
        graph: "https://graph.microsoft.com",
        arm: "https://management.usgovcloudapi.net",
        logAnalytics: "https://api.loganalytics.us",
        keyVault: "https://vault.usgovcloudapi.net",
        keyVaultDnsSuffix: ".vault.usgovcloudapi.net",
        storageSuffix: "core.usgovcloudapi.net",
        portal: "https://portal.azure.com",
        exchangeOnline: "https://outlook.office365.com",
        managementCore: "https://management.core.usgovcloudapi.net",
        appInsights: "https://api.applicationinsights.us",
      },
    ],
    [
      "US GCC-High",
      {
        loginHost: "https://login.microsoftonline.us",
        graph: "https://graph.microsoft.us",
        arm: "https://management.usgovcloudapi.net",
        logAnalytics: "https://api.loganalytics.us",
        keyVault: "https://vault.usgovcloudapi.net",
        keyVaultDnsSuffix: ".vault.usgovcloudapi.net",
        storageSuffix: "core.usgovcloudapi.net",
        portal: "https://portal.azure.us",
        exchangeOnline: "https://outlook.office365.us",
        managementCore: "https://management.core.usgovcloudapi.net",
        appInsights: "https://api.applicationinsights.us",
      },
    ],
    [
      "DoD",
      {
        loginHost: "https://login.microsoftonline.us",
        graph: "https://dod-graph.microsoft.us",
        arm: "https://management.usgovcloudapi.net",
        logAnalytics: "https://api.loganalytics.us",
        keyVault: "https://vault.usgovcloudapi.net",
        keyVaultDnsSuffix: ".vault.usgovcloudapi.net",
        storageSuffix: "core.usgovcloudapi.net",
        portal: "https://portal.azure.us",
        exchangeOnline: "https://outlook-dod.office365.us",
        managementCore: "https://management.core.usgovcloudapi.net",
        appInsights: "https://api.applicationinsights.us",
      },
    ],
    [
      "China",
      {
        loginHost: "https://login.chinacloudapi.cn",
        graph: "https://microsoftgraph.chinacloudapi.cn",
        arm: "https://management.chinacloudapi.cn",
        logAnalytics: "https://api.loganalytics.azure.cn",
        keyVault: "https://vault.azure.cn",
        keyVaultDnsSuffix: ".vault.azure.cn",
        storageSuffix: "core.chinacloudapi.cn",
        portal: "https://portal.azure.cn",
        exchangeOnline: "https://partner.outlook.cn",
        managementCore: "https://management.core.chinacloudapi.cn",
        appInsights: "https://api.applicationinsights.azure.cn",
      },
    ],
    [
      "Germany",
      {
        loginHost: "https://login.microsoftonline.de",
        graph: "https://graph.microsoft.de",
        arm: "https://management.microsoftazure.de",
        keyVault: "https://vault.microsoftazure.de",
        keyVaultDnsSuffix: ".vault.microsoftazure.de",
        storageSuffix: "core.cloudapi.de",
        portal: "https://portal.microsoftazure.de",
        managementCore: "https://management.core.cloudapi.de",
        retired: true,
      },
    ],
  ];

  it.each(expected)("%s has the documented endpoints", (name, endpoints) => {
    const cloud = getCloud(name);
    const { id: _id, displayName, ...rest } = cloud;
    expect(displayName).toBe(name);
    expect(rest).toEqual(endpoints);
  });

  it("covers every named cloud, with ids matching the table keys", () => {
    expect(expected.map(([name]) => name)).toEqual(AZURE_CLOUD_OPTIONS.filter((name) => name !== "Custom"));
    for (const [id, cloud] of Object.entries(CLOUDS)) expect(cloud.id).toBe(id);
  });

  it("has no trailing slash and only https URLs", () => {
    for (const cloud of Object.values(CLOUDS)) {
      for (const [key, value] of Object.entries(cloud)) {
        if (typeof value !== "string" || !value.includes("://")) continue;
        expect(value, `${cloud.id}.${key}`).toMatch(/^https:\/\/[^/]+$/);
      }
    }
  });

  it("is frozen", () => {
    expect(Object.isFrozen(CLOUDS)).toBe(true);
    expect(Object.isFrozen(CLOUDS.com)).toBe(true);
    expect(() => {
      (CLOUDS.com as { graph: string }).graph = "https://evil.example";
    }).toThrow();
  });

  it("lists the Azure Cloud options in order", () => {
    expect(AZURE_CLOUD_OPTIONS).toEqual([
      "Worldwide",
      "US GCC",
      "US GCC-High",
      "DoD",
      "China",
      "Germany",
      "Custom",
    ]);
  });

  it("finds clouds by display name or id, in any case", () => {
    expect(getCloud("Worldwide")).toBe(CLOUDS.com);
    expect(getCloud("com")).toBe(CLOUDS.com);
    expect(getCloud(" us gcc-high ")).toBe(CLOUDS["gcc-high"]);
    expect(getCloud("GCC-HIGH")).toBe(CLOUDS["gcc-high"]);
    expect(getCloud("dod").graph).toBe("https://dod-graph.microsoft.us");
    expect(getCloud("cn").id).toBe("cn");
  });

  it("rejects unknown clouds naming the parameter and the valid values", () => {
    const error = parameterErrorOf(() => getCloud("Mars"));
    expect(error.parameter).toBe("Azure Cloud");
    expect(error.message).toContain('"Mars"');
    expect(error.message).toContain("Worldwide, US GCC, US GCC-High, DoD, China, Germany, Custom");
  });

  it("maps Graph hosts back to clouds", () => {
    expect(cloudIdFromGraphUrl("https://graph.microsoft.us/v1.0")).toBe("gcc-high");
    expect(cloudIdFromGraphUrl("dod-graph.microsoft.us")).toBe("dod");
    expect(cloudIdFromGraphUrl("https://graph.microsoft.com")).toBe("com");
    expect(cloudIdFromGraphUrl("https://example.com")).toBeUndefined();
    expect(cloudIdFromGraphUrl("::")).toBeUndefined();
  });
});

describe("custom cloud", () => {
  it("keeps Worldwide defaults and takes the login host and Server URL, without trailing slashes", () => {
    const cloud = customCloud({
      loginHost: "https://login.microsoftonline.us/",
      resourceUrl: "https://graph.microsoft.us//",
      resourceKey: "graph",
    });
    expect(cloud.id).toBe("custom");
    expect(cloud.displayName).toBe("Custom");
    expect(cloud.loginHost).toBe("https://login.microsoftonline.us");
    expect(cloud.resourceUrl).toBe("https://graph.microsoft.us");
    expect(cloud.graph).toBe("https://graph.microsoft.us");
    expect(cloud.arm).toBe("https://management.azure.com");
    expect(cloud.retired).toBeUndefined();
  });

  it("is reachable through getCloud and needs at least one URL", () => {
    expect(getCloud("Custom", { resourceUrl: "https://management.usgovcloudapi.net" }).loginHost).toBe(
      "https://login.microsoftonline.com",
    );
    const error = parameterErrorOf(() => getCloud("custom"));
    expect(error.parameter).toBe("Azure Cloud");
    expect(error.message).toContain("Azure AD endpoint");
    expect(error.message).toContain("Server URL");
  });

  it("refuses http on a non-loopback host, naming the parameter and the fix", () => {
    const error = parameterErrorOf(() => customCloud({ loginHost: "http://login.example.com" }));
    expect(error.parameter).toBe("Azure AD endpoint");
    expect(error.message).toContain("https://login.example.com");
    const server = parameterErrorOf(() => customCloud({ resourceUrl: "http://graph.example.com/v1.0/" }));
    expect(server.parameter).toBe("Server URL");
  });

  it("allows http on loopback hosts", () => {
    expect(customCloud({ loginHost: "http://127.0.0.1:8080/" }).loginHost).toBe("http://127.0.0.1:8080");
    expect(customCloud({ loginHost: "http://127.1.2.3" }).loginHost).toBe("http://127.1.2.3");
    expect(customCloud({ loginHost: "http://localhost:3000/entra" }).loginHost).toBe(
      "http://localhost:3000/entra",
    );
    expect(customCloud({ loginHost: "http://[::1]:9000" }).loginHost).toBe("http://[::1]:9000");
    expect(isLoopbackHost("[::ffff:7f00:1]")).toBe(true);
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
    expect(isLoopbackHost("localhost.example.com")).toBe(false);
  });

  // Issue 11.5: only literal loopback addresses and localhost itself count; what DNS, a hosts file or the URL
  // parser's IPv4 number forms turn into 127.0.0.1 does not.
  it("accepts only literal loopback hosts as loopback", () => {
    for (const host of [
      "localhost",
      "LOCALHOST",
      "127.0.0.1",
      "127.255.255.254",
      "[::1]",
      "::1",
      "[0:0:0:0:0:0:0:1]",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "[0:0:0:0:0:ffff:7f01:203]",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      "foo.localhost",
      "localhost.",
      "localhost.localdomain",
      "127.0.0.1.nip.io",
      "0.0.0.0",
      "2130706433",
      "0x7f.1",
      "0x7f000001",
      "127.1",
      "0177.0.0.1",
      "127.000.000.001",
      "127.0.0.256",
      "127.0.0.1.",
      "[::]",
      "[::2]",
      "[::ffff:128.0.0.1]",
      "[::ffff:8000:1]",
      "[::127.0.0.1]",
      "[::1%25eth0]",
      "[1::1]",
      "",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("judges a URL by the host as written, before the URL parser rewrites it", () => {
    expect(isLoopbackUrl("http://127.0.0.1:8080/x")).toBe(true);
    expect(isLoopbackUrl("http://user@localhost:1/")).toBe(true);
    expect(isLoopbackUrl("http://[::ffff:127.0.0.1]:9/")).toBe(true);
    // Each of these parses to the host 127.0.0.1 or localhost, but is not written as a loopback address.
    for (const url of [
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0x7f000001:8080/",
      "http://127.1/",
      "http://0177.0.0.1/",
      "http://%31%32%37.0.0.1/",
      "http://LOCALHOST./",
      "http://foo.localhost/",
      "http://127.0.0.1.nip.io/",
      "http://0.0.0.0:8080/",
      "http:127.0.0.1/",
      "http:/\\127.0.0.1/",
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
  });

  it("refuses http on every non-literal loopback spelling, naming the parameter and the host as written", () => {
    for (const url of [
      "http://foo.localhost:8080",
      "http://localhost.:8080",
      "http://127.0.0.1.nip.io",
      "http://0.0.0.0:9000",
      "http://2130706433:8080",
      "http://0x7f.1",
      "http://127.1",
    ]) {
      const error = parameterErrorOf(() => customCloud({ loginHost: url }));
      expect(error.parameter, url).toBe("Azure AD endpoint");
      const written = url
        .replace(/^http:\/\//, "")
        .replace(/:\d+$/, "")
        .toLowerCase();
      expect(error.message, url).toContain(`http://${written} uses plain http`);
      expect(error.message, url).toContain("literal loopback address");
      const server = parameterErrorOf(() => customCloud({ resourceUrl: `${url}/v1.0` }));
      expect(server.parameter, url).toBe("Server URL");
    }
    // The same hosts over https are fine: TLS checks the name.
    expect(customCloud({ loginHost: "https://foo.localhost:8443" }).loginHost).toBe(
      "https://foo.localhost:8443",
    );
  });

  it("refuses relative URLs, other schemes, credentials and queries", () => {
    const relative = parameterErrorOf(() => customCloud({ loginHost: "login.microsoftonline.us" }));
    expect(relative.parameter).toBe("Azure AD endpoint");
    expect(relative.message).toContain("not an absolute URL");
    expect(relative.message).toContain("https://login.microsoftonline.us");
    expect(parameterErrorOf(() => customCloud({ resourceUrl: "/v1.0" })).parameter).toBe("Server URL");
    expect(parameterErrorOf(() => customCloud({ loginHost: "ftp://login.example.com" })).message).toContain(
      "ftp:",
    );
    expect(
      parameterErrorOf(() => customCloud({ loginHost: "https://u:p@login.example.com" })).message,
    ).toContain("user name or password");
    expect(
      parameterErrorOf(() => customCloud({ loginHost: "https://login.example.com/?x=1" })).message,
    ).toContain("query");
  });
});

describe("protocol endpoints and MSAL metadata", () => {
  it("builds v2 endpoints", () => {
    expect(tokenEndpoint("https://login.microsoftonline.com/", "contoso.onmicrosoft.com")).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
    );
    expect(authorizeEndpoint("https://login.microsoftonline.us", "t")).toBe(
      "https://login.microsoftonline.us/t/oauth2/v2.0/authorize",
    );
    expect(deviceCodeEndpoint("http://127.0.0.1:1234", "organizations")).toBe(
      "http://127.0.0.1:1234/organizations/oauth2/v2.0/devicecode",
    );
  });

  it("produces authority metadata MSAL accepts", () => {
    const tenant = "11111111-2222-3333-4444-555555555555";
    const metadata = JSON.parse(
      authorityMetadata("https://login.microsoftonline.us/", tenant, CLOUDS["gcc-high"].graph),
    );
    expect(metadata.token_endpoint).toBe(`https://login.microsoftonline.us/${tenant}/oauth2/v2.0/token`);
    expect(metadata.authorization_endpoint).toBe(
      `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/authorize`,
    );
    expect(metadata.device_authorization_endpoint).toBe(
      `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/devicecode`,
    );
    expect(metadata.end_session_endpoint).toBe(
      `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/logout`,
    );
    expect(metadata.issuer).toBe(`https://login.microsoftonline.us/${tenant}/v2.0`);
    expect(metadata.jwks_uri).toBe(`https://login.microsoftonline.us/${tenant}/discovery/v2.0/keys`);
    expect(metadata.userinfo_endpoint).toBe("https://graph.microsoft.us/oidc/userinfo");
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_post", "private_key_jwt"]),
    );
    expect(metadata.response_types_supported).toContain("code");
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "offline_access"]));
  });

  it("uses the {tenantid} issuer template for multi-tenant authorities", () => {
    expect(JSON.parse(authorityMetadata("https://login.microsoftonline.com", "organizations")).issuer).toBe(
      "https://login.microsoftonline.com/{tenantid}/v2.0",
    );
  });

  it("pins discovery to the given host", () => {
    const discovery = JSON.parse(cloudDiscoveryMetadata("login.chinacloudapi.cn"));
    expect(discovery["api-version"]).toBe("1.1");
    expect(discovery.tenant_discovery_endpoint).toBe(
      "https://login.chinacloudapi.cn/{tenant}/v2.0/.well-known/openid-configuration",
    );
    expect(discovery.metadata).toEqual([
      {
        preferred_network: "login.chinacloudapi.cn",
        preferred_cache: "login.chinacloudapi.cn",
        aliases: ["login.chinacloudapi.cn"],
      },
    ]);
    expect(JSON.parse(cloudDiscoveryMetadata("https://Login.Fake.Test:8443/")).metadata[0].aliases).toEqual([
      "login.fake.test:8443",
    ]);
  });

  it("builds .default scopes with exactly one slash", () => {
    expect(resourceScope("https://graph.microsoft.com")).toBe("https://graph.microsoft.com/.default");
    expect(resourceScope("https://management.core.windows.net/")).toBe(
      "https://management.core.windows.net/.default",
    );
    expect(resourceScope("https://vault.azure.net//")).toBe("https://vault.azure.net/.default");
    expect(resourceScope("https://graph.microsoft.com/.default")).toBe(
      "https://graph.microsoft.com/.default",
    );
    expect(resourceScope("https://graph.microsoft.com//.default")).toBe(
      "https://graph.microsoft.com/.default",
    );
  });
});

describe("Defender for Endpoint endpoint types", () => {
  const rows: Array<[string, string, string, string, string]> = [
    // type, api, login, graph, APT service host
    [
      "Worldwide",
      "https://api.securitycenter.microsoft.com",
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://securitycenter.onmicrosoft.com",
    ],
    [
      "US Geo Proximity",
      "https://api-us.securitycenter.microsoft.com",
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://securitycenter.onmicrosoft.com",
    ],
    [
      "EU Geo Proximity",
      "https://api-eu.securitycenter.microsoft.com",
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://securitycenter.onmicrosoft.com",
    ],
    [
      "UK Geo Proximity",
      "https://api-uk.securitycenter.microsoft.com",
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://securitycenter.onmicrosoft.com",
    ],
    [
      "US GCC",
      "https://api-gcc.securitycenter.microsoft.us",
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://securitycenter.onmicrosoft.com",
    ],
    [
      "US GCC-High",
      "https://api-gov.securitycenter.microsoft.us",
      "https://login.microsoftonline.us",
      "https://graph.microsoft.us",
      "https://securitycenter.onmicrosoft.us",
    ],
    [
      "DoD",
      "https://api-gov.securitycenter.microsoft.us",
      "https://login.microsoftonline.us",
      "https://dod-graph.microsoft.us",
      "https://securitycenter.onmicrosoft.us",
    ],
  ];

  it.each(rows)("%s", (type, api, loginHost, graph, aptServiceHost) => {
    const endpoint = getDefenderEndpoint(type);
    expect(endpoint).toMatchObject({ type, api, loginHost, graph, aptServiceHost });
    expect(endpoint.aptServiceScope).toBe(`${aptServiceHost}/windowsatpservice/.default`);
  });

  it("offers the types in order and covers every named one", () => {
    expect(DEFENDER_ENDPOINT_TYPES).toEqual([
      "Worldwide",
      "US Geo Proximity",
      "EU Geo Proximity",
      "UK Geo Proximity",
      "US GCC",
      "US GCC-High",
      "DoD",
      "Custom",
    ]);
    expect(Object.keys(DEFENDER_ENDPOINTS)).toEqual(rows.map(([type]) => type));
  });

  it("accepts any case", () => {
    expect(getDefenderEndpoint("eu geo proximity").key).toBe("geo-eu");
  });

  it("uses the Server URL for Custom and requires it", () => {
    const custom = getDefenderEndpoint("Custom", "https://api.security.microsoft.com/");
    expect(custom).toMatchObject({
      type: "Custom",
      key: "custom",
      api: "https://api.security.microsoft.com",
    });
    expect(custom.loginHost).toBe("https://login.microsoftonline.com");
    const error = parameterErrorOf(() => getDefenderEndpoint("Custom"));
    expect(error.parameter).toBe("Server URL");
    expect(error.message).toContain("Endpoint Type is set to Custom but Server URL is empty");
    expect(parameterErrorOf(() => getDefenderEndpoint("")).parameter).toBe("Endpoint Type");
    expect(getDefenderEndpoint("", "https://mde.example.com").key).toBe("custom");
  });

  it("lets the type win over a catalog URL left in Server URL, and a foreign URL win over the type", () => {
    expect(getDefenderEndpoint("US GCC", "https://api.securitycenter.microsoft.com").api).toBe(
      "https://api-gcc.securitycenter.microsoft.us",
    );
    expect(getDefenderEndpoint("Worldwide", "https://mde-proxy.example.com/").api).toBe(
      "https://mde-proxy.example.com",
    );
  });

  it("rejects unknown types and insecure URLs", () => {
    const error = parameterErrorOf(() => getDefenderEndpoint("Moon"));
    expect(error.parameter).toBe("Endpoint Type");
    expect(error.message).toContain("Worldwide, US Geo Proximity");
    expect(parameterErrorOf(() => getDefenderEndpoint("Custom", "http://mde.example.com")).parameter).toBe(
      "Server URL",
    );
  });
});

describe("Defender for Cloud Apps endpoint types", () => {
  it.each([
    ["Worldwide", "https://api.securitycenter.microsoft.com", "https://login.microsoftonline.com"],
    ["US GCC", "https://api-gcc.securitycenter.microsoft.us", "https://login.microsoftonline.com"],
    ["US GCC-High", "https://api-gcc.securitycenter.microsoft.us", "https://login.microsoftonline.us"],
  ])("%s", (type, api, loginHost) => {
    expect(getCloudAppsEndpoint(type)).toMatchObject({ api, loginHost });
    expect(CLOUD_APPS_ENDPOINTS[type as keyof typeof CLOUD_APPS_ENDPOINTS].type).toBe(type);
  });

  it("defaults to Worldwide and rejects unknown types", () => {
    expect(getCloudAppsEndpoint(undefined).key).toBe("com");
    expect(parameterErrorOf(() => getCloudAppsEndpoint("DoD")).parameter).toBe("Endpoint Type");
  });
});
