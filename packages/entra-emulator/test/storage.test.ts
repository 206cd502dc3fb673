import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_STORAGE_ACCOUNT,
  DEMO_TENANT_ID,
  demoAccountSas,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";

// Azure Storage's authentication and error shapes: learn.microsoft.com/rest/api/storageservices
// (authorize-with-azure-active-directory, create-account-sas, common-rest-api-error-codes).
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

async function call(
  service: "blob" | "queue" | "table" | "file",
  pathAndQuery: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    headers: { "x-forwarded-host": `${DEMO_STORAGE_ACCOUNT}.${service}.core.windows.net`, ...headers },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const token = (roles?: string[], resource = "storage") =>
  emulator.issueAccessToken({ tenantId: DEMO_TENANT_ID, resource, ...(roles ? { roles } : {}) });

describe("Azure Storage authentication", () => {
  it("answers a request without credentials 401 NoAuthenticationInformation with the bearer challenge", async () => {
    const answer = await call("blob", "/?comp=list");
    expect(answer.status).toBe(401);
    expect(answer.headers.get("x-ms-error-code")).toBe("NoAuthenticationInformation");
    expect(answer.headers.get("www-authenticate")).toContain("resource_id=https://storage.azure.com");
    expect(answer.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><Error><Code>NoAuthenticationInformation<\/Code>/,
    );
  });

  it("refuses a bearer token with an x-ms-version before 2017-11-09, and a token of another audience", async () => {
    const old = await call("blob", "/?comp=list", {
      authorization: `Bearer ${token(["Storage Blob Data Reader"])}`,
      "x-ms-version": "2017-04-17",
    });
    expect(old.status).toBe(403);
    expect(old.text).toContain("Authentication scheme Bearer is not supported in this version.");
    const graph = await call("blob", "/?comp=list", {
      authorization: `Bearer ${token(["User.Read.All"], "graph")}`,
      "x-ms-version": "2020-10-02",
    });
    expect(graph.status).toBe(401);
    expect(graph.headers.get("x-ms-error-code")).toBe("InvalidAuthenticationInfo");
    expect(graph.text).toContain("Audience validation failed");
  });

  it("checks the data role of the operation: none → 403 AuthorizationPermissionMismatch, reader → the listing", async () => {
    const headers = { "x-ms-version": "2020-10-02" };
    const denied = await call("queue", "/?comp=list", { ...headers, authorization: `Bearer ${token()}` });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-ms-error-code")).toBe("AuthorizationPermissionMismatch");
    const reader = `Bearer ${token(["Storage Queue Data Reader"])}`;
    const listed = await call("queue", "/?comp=list", { ...headers, authorization: reader });
    expect(listed.status).toBe(200);
    expect(listed.text).toContain("<Queue><Name>alerts</Name></Queue>");
    const processing = await call("queue", "/alerts/messages", { ...headers, authorization: reader });
    expect(processing.status).toBe(403);
  });

  it("validates an account SAS: mandatory fields, the signature of both string-to-sign forms, the service", async () => {
    const noPermissions = demoAccountSas().replace(/&sp=[^&]+/, "");
    const missing = await call("blob", `/?comp=list&${noPermissions}`);
    expect(missing.status).toBe(403);
    expect(missing.text).toContain("sp is mandatory. Cannot be empty");
    // Before 2020-12-06 the string-to-sign has no encryption-scope line.
    const older = await call("blob", `/?comp=list&${demoAccountSas({ sv: "2019-12-12" })}`);
    expect(older.status).toBe(200);
    const otherAccount = await call("blob", `/?comp=list&${demoAccountSas({}, "otheraccount")}`);
    expect(otherAccount.status).toBe(403);
    expect(otherAccount.text).toContain("Signature did not match");
    const wrongService = await call("file", `/?comp=list&${demoAccountSas({ ss: "bqt" })}`);
    expect(wrongService.headers.get("x-ms-error-code")).toBe("AuthorizationServiceMismatch");
  });

  it("answers the Table service's errors as JSON odata.error when JSON is asked for", async () => {
    const answer = await call("table", `/Missing()?${demoAccountSas()}`, {
      accept: "application/json;odata=nometadata",
    });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ "odata.error": { code: "TableNotFound" } });
  });

  it("serves Storage only on account hosts, not by path on the emulator's own address", async () => {
    const response = await fetch(`${emulator.url}/?comp=list&${demoAccountSas()}`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-ms-error-code")).toBeNull();
  });
});
