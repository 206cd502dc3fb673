import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type {
  AccessTokenClaims,
  BearerCheck,
  RouteContext,
  RouteResponse,
  ServiceAuthRequest,
} from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

/**
 * Azure Storage's data plane: Blob, File, Queue and Table services of `<account>.<service>.core.windows.net` (and
 * the US Government and China suffixes). Requests are authorized as Storage does it: an account SAS in the query
 * (fields, signature over the documented string-to-sign, validity window, service, resource type and permission),
 * or a bearer token for https://storage.azure.com with x-ms-version 2017-11-09 or later, whose holder needs the
 * data role of the operation (the emulator reads the identity's role assignments from its `storage` grants).
 * Errors come in Storage's XML body (JSON `odata.error` for the Table service) with `x-ms-error-code`.
 * Sources: learn.microsoft.com/rest/api/storageservices (create-account-sas, authorize-with-azure-active-directory,
 * common-rest-api-error-codes, and each operation's page).
 */

type StorageKind = "blob" | "file" | "queue" | "table";

/** The demo storage account every command of the storage integrations finds data in. */
export const DEMO_STORAGE_ACCOUNT = "msintdemo";

/** The demo account's access key (base64, as the portal shows it): account SAS tokens are signed with it. */
export const DEMO_STORAGE_ACCOUNT_KEY = createHash("sha512")
  .update("msint emulator demo storage account key")
  .digest("base64");

/** The REST version of the answers (`x-ms-version`). */
const SERVICE_VERSION = "2020-10-02";
/** The first version that accepts OAuth bearer tokens (learn.microsoft.com … authorize-with-azure-active-directory). */
const FIRST_OAUTH_VERSION = "2017-11-09";
/** From this version on, the account SAS string-to-sign ends with the encryption scope. */
const ENCRYPTION_SCOPE_VERSION = "2020-12-06";

const HOST =
  /^([a-z0-9]{3,24})\.(blob|file|queue|table)\.core\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/;

/** The fields of an account SAS token (learn.microsoft.com/rest/api/storageservices/create-account-sas). */
export interface AccountSasFields {
  sv: string;
  ss: string;
  srt: string;
  sp: string;
  se: string;
  st?: string;
  sip?: string;
  spr?: string;
  ses?: string;
}

/** The account SAS string-to-sign of `fields`, in the form of its `sv`. */
function accountSasStringToSign(account: string, fields: AccountSasFields): string {
  const parts = [
    account,
    fields.sp,
    fields.ss,
    fields.srt,
    fields.st ?? "",
    fields.se,
    fields.sip ?? "",
    fields.spr ?? "",
    fields.sv,
  ];
  if (fields.sv >= ENCRYPTION_SCOPE_VERSION) parts.push(fields.ses ?? "");
  return `${parts.join("\n")}\n`;
}

/** The `sig` of an account SAS: base64 HMAC-SHA256 of the string-to-sign under the decoded account key. */
export function accountSasSignature(account: string, key: string, fields: AccountSasFields): string {
  return createHmac("sha256", Buffer.from(key, "base64"))
    .update(accountSasStringToSign(account, fields), "utf8")
    .digest("base64");
}

/**
 * An account SAS token (query string without `?`) for the demo account, signed with its key: all services,
 * resource types and permissions, valid for a year, unless `fields` say otherwise.
 */
export function demoAccountSas(
  fields: Partial<AccountSasFields> = {},
  account = DEMO_STORAGE_ACCOUNT,
): string {
  const full: AccountSasFields = {
    sv: "2022-11-02",
    ss: "bfqt",
    srt: "sco",
    sp: "rwdlacupt",
    se: new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    spr: "https,http",
    ...fields,
  };
  const sig = accountSasSignature(account, DEMO_STORAGE_ACCOUNT_KEY, full);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(full)) if (value !== undefined) query.set(name, value);
  query.set("sig", sig);
  return query.toString();
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and answers

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function xmlUnescape(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function serviceHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "x-ms-request-id": randomUUID(), "x-ms-version": SERVICE_VERSION, ...extra };
}

/** Storage's error answer: XML `<Error>` (Table: JSON `odata.error` when JSON was asked for) and `x-ms-error-code`. */
function storageError(
  kind: StorageKind | undefined,
  accept: string | undefined,
  status: number,
  code: string,
  message: string,
  details: Record<string, string> = {},
  headers: Record<string, string> = {},
): RouteResponse {
  const base = serviceHeaders({ "x-ms-error-code": code, ...headers });
  const text = `${message}\nRequestId:${base["x-ms-request-id"]}\nTime:${new Date().toISOString()}`;
  if (kind === "table" && (accept ?? "").includes("json")) {
    return {
      status,
      headers: { ...base, "content-type": "application/json;odata=minimalmetadata;charset=utf-8" },
      body: JSON.stringify({ "odata.error": { code, message: { lang: "en-US", value: text } } }),
    };
  }
  const extra = Object.entries(details)
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join("");
  return {
    status,
    headers: { ...base, "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xmlEscape(text)}</Message>${extra}</Error>`,
  };
}

function xmlAnswer(status: number, body: string, headers: Record<string, string> = {}): RouteResponse {
  return {
    status,
    headers: serviceHeaders({ "content-type": "application/xml", ...headers }),
    body: `<?xml version="1.0" encoding="utf-8"?>${body}`,
  };
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse {
  return {
    status,
    headers: serviceHeaders({
      "content-type": "application/json;odata=nometadata;streaming=true;charset=utf-8",
      ...headers,
    }),
    body: JSON.stringify(body),
  };
}

function noContent(status: number, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers: serviceHeaders(headers) };
}

const rfc1123 = (date: Date) => date.toUTCString();
const etagOf = (date: Date) => `"0x${(date.getTime() * 10_000).toString(16).toUpperCase()}"`;

// ---------------------------------------------------------------------------------------------------------------
// Operations: what each needs of an account SAS and of the caller's data roles

/** Account SAS resource types: service, container, object. */
type Level = "s" | "c" | "o";
type Access = "read" | "write" | "send" | "process";

interface Operation {
  name: string;
  level: Level;
  /** SAS permission letters, any one of which allows it. */
  sas: string;
  access: Access;
}

const op = (name: string, level: Level, sas: string, access: Access): Operation => ({
  name,
  level,
  sas,
  access,
});

/**
 * The data roles that allow an access (learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage):
 * readers read, contributors (and the Blob owner) write; a queue's messages may also be sent by a Message Sender
 * and retrieved by a Message Processor.
 */
const ROLES: Record<StorageKind, Record<Access, readonly string[]>> = (() => {
  const table = (reader: string, contributor: string, owner?: string) => {
    const writers = owner ? [contributor, owner] : [contributor];
    return { read: [reader, ...writers], write: writers, send: writers, process: writers };
  };
  const queue = table("Storage Queue Data Reader", "Storage Queue Data Contributor");
  return {
    blob: table("Storage Blob Data Reader", "Storage Blob Data Contributor", "Storage Blob Data Owner"),
    file: table("Storage File Data Privileged Reader", "Storage File Data Privileged Contributor"),
    queue: {
      read: [...queue.read, "Storage Queue Data Message Processor"],
      write: queue.write,
      send: ["Storage Queue Data Message Sender", ...queue.write],
      process: ["Storage Queue Data Message Processor", ...queue.write],
    },
    table: table("Storage Table Data Reader", "Storage Table Data Contributor"),
  };
})();

/** The operation a request asks for, from its method, path and query (undefined: none the emulator serves). */
function operationOf(kind: StorageKind, request: ServiceAuthRequest): Operation | undefined {
  const { method, query } = request;
  const segments = request.path.split("/").filter(Boolean);
  if (kind === "table") return tableOperation(method, segments);
  if (segments.length === 0) {
    return method === "GET" && query["comp"] === "list" ? op("List", "s", "l", "read") : undefined;
  }
  if (kind === "blob") return blobOperation(method, segments.length, query);
  if (kind === "file") return fileOperation(method, segments.length, query);
  return queueOperation(method, segments, query);
}

function blobOperation(method: string, depth: number, query: Record<string, string>): Operation | undefined {
  if (depth === 1 && query["restype"] === "container") {
    if (method === "GET" && query["comp"] === "list") return op("ListBlobs", "c", "l", "read");
    if ((method === "GET" || method === "HEAD") && !query["comp"])
      return op("GetContainerProperties", "c", "r", "read");
    if (method === "PUT" && !query["comp"]) return op("CreateContainer", "c", "cw", "write");
    // Set Container ACL: not an operation an account SAS grants (no permission letter allows it); a token's
    // data role (or the account key, which the emulator does not take) does.
    if (method === "PUT" && query["comp"] === "acl") return op("SetContainerACL", "c", "", "write");
    if (method === "DELETE") return op("DeleteContainer", "c", "d", "write");
    return undefined;
  }
  if (depth < 2) return undefined;
  if (query["comp"] === "tags") {
    return method === "GET" ? op("GetBlobTags", "o", "t", "read") : op("SetBlobTags", "o", "t", "write");
  }
  if (method === "GET" || method === "HEAD") return op("GetBlob", "o", "r", "read");
  if (method === "PUT" && !query["comp"]) return op("PutBlob", "o", "cw", "write");
  if (method === "PUT" && query["comp"] === "properties") return op("SetBlobProperties", "o", "w", "write");
  if (method === "DELETE") return op("DeleteBlob", "o", "d", "write");
  return undefined;
}

function fileOperation(method: string, depth: number, query: Record<string, string>): Operation | undefined {
  if (depth === 1 && query["restype"] === "share") {
    if (method === "PUT") return op("CreateShare", "c", "c", "write");
    if (method === "DELETE") return op("DeleteShare", "c", "d", "write");
    return op("GetShareProperties", "c", "r", "read");
  }
  if (query["restype"] === "directory") {
    if (method === "GET" && query["comp"] === "list") return op("ListDirectoriesAndFiles", "c", "l", "read");
    if (depth < 2) return undefined;
    if (method === "PUT") return op("CreateDirectory", "o", "cw", "write");
    if (method === "DELETE") return op("DeleteDirectory", "o", "d", "write");
    return op("GetDirectoryProperties", "o", "r", "read");
  }
  if (depth >= 2 && (method === "GET" || method === "HEAD")) return op("GetFile", "o", "r", "read");
  return undefined;
}

function queueOperation(
  method: string,
  segments: string[],
  query: Record<string, string>,
): Operation | undefined {
  if (segments.length === 1) {
    if (query["comp"] === "metadata") {
      return method === "PUT"
        ? op("SetQueueMetadata", "c", "w", "write")
        : op("GetQueueMetadata", "c", "r", "read");
    }
    if (method === "PUT") return op("CreateQueue", "c", "c", "write");
    if (method === "DELETE") return op("DeleteQueue", "c", "d", "write");
    return undefined;
  }
  if (segments[1]?.toLowerCase() !== "messages") return undefined;
  if (segments.length === 3)
    return method === "DELETE" ? op("DeleteMessage", "o", "p", "process") : undefined;
  if (method === "POST") return op("PutMessage", "o", "a", "send");
  if (method === "GET" && query["peekonly"] === "true") return op("PeekMessages", "o", "r", "read");
  if (method === "GET") return op("GetMessages", "o", "p", "process");
  if (method === "DELETE") return op("ClearMessages", "o", "d", "write");
  return undefined;
}

function tableOperation(method: string, segments: string[]): Operation | undefined {
  if (segments.length !== 1) return undefined;
  const target = tableTarget(segments[0]!);
  if (!target) return undefined;
  if (target.kind === "tables") {
    if (method === "GET") return op("QueryTables", "s", "l", "read");
    if (method === "POST") return op("CreateTable", "c", "ac", "write");
    return undefined;
  }
  if (target.kind === "table") return method === "DELETE" ? op("DeleteTable", "c", "d", "write") : undefined;
  if (method === "GET") return op("QueryEntities", "o", "r", "read");
  if (method === "POST") return op("InsertEntity", "o", "a", "write");
  if (method === "DELETE") return op("DeleteEntity", "o", "d", "write");
  // Merge Entity is MERGE in the REST reference; the Azure SDKs send it as PATCH, which the service also takes.
  if (method === "PUT" || method === "MERGE" || method === "PATCH")
    return op("UpdateEntity", "o", "u", "write");
  return undefined;
}

type TableTarget =
  | { kind: "tables" }
  | { kind: "table"; table: string }
  | { kind: "entities"; table: string; partitionKey?: string; rowKey?: string };

/** `Tables`, `Tables('name')`, `name`, `name()` or `name(PartitionKey='a',RowKey='b')`. */
function tableTarget(segment: string): TableTarget | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  const match = /^([A-Za-z][A-Za-z0-9]*)(?:\((.*)\))?$/.exec(decoded);
  if (!match) return undefined;
  const [, name, inside] = match as unknown as [string, string, string | undefined];
  const literal = (text: string) => /^'((?:[^']|'')*)'$/.exec(text.trim())?.[1]?.replace(/''/g, "'");
  if (name.toLowerCase() === "tables") {
    if (!inside) return { kind: "tables" };
    const table = literal(inside);
    return table === undefined ? undefined : { kind: "table", table };
  }
  if (!inside) return { kind: "entities", table: name };
  const keys = /^PartitionKey=('(?:[^']|'')*'),RowKey=('(?:[^']|'')*')$/.exec(inside);
  if (!keys) return undefined;
  return { kind: "entities", table: name, partitionKey: literal(keys[1]!), rowKey: literal(keys[2]!) };
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication and authorization

const AUTH_FAILED_MESSAGE =
  "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";
const SEE_WWW_AUTHENTICATE =
  "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.";
const NOT_AUTHORIZED = {
  AuthorizationPermissionMismatch:
    "This request is not authorized to perform this operation using this permission.",
  AuthorizationServiceMismatch:
    "This request is not authorized to perform this operation using this service.",
  AuthorizationResourceTypeMismatch:
    "This request is not authorized to perform this operation using this resource type.",
} as const;

/** The account and service a request addressed (the harness and the proxy keep the original host). */
function addressedAccount(
  headers: Record<string, string>,
): { account: string; kind: StorageKind } | undefined {
  const host = (headers["x-forwarded-host"] ?? headers["host"] ?? "").replace(/:\d+$/, "").toLowerCase();
  const match = HOST.exec(host);
  return match ? { account: match[1]!, kind: match[2] as StorageKind } : undefined;
}

type Refusal = (
  status: number,
  code: string,
  message: string,
  details?: Record<string, string>,
) => RouteResponse;

/** An account SAS check, as Storage does it: fields, signature, time window, then service, resource type, permission. */
function checkAccountSas(
  account: string,
  kind: StorageKind,
  operation: Operation,
  query: Record<string, string>,
  refuse: Refusal,
): RouteResponse | undefined {
  for (const field of ["sv", "ss", "srt", "sp", "se", "sig"] as const) {
    if (!query[field]) {
      return refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, {
        AuthenticationErrorDetail: `${field} is mandatory. Cannot be empty`,
      });
    }
  }
  const fields = query as unknown as AccountSasFields & { sig: string };
  const expected = Buffer.from(accountSasSignature(account, DEMO_STORAGE_ACCOUNT_KEY, fields), "base64");
  const given = Buffer.from(fields.sig, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, {
      AuthenticationErrorDetail: `Signature did not match. String to sign used was ${accountSasStringToSign(account, fields)}`,
    });
  }
  const now = Date.now();
  const start = fields.st ? Date.parse(fields.st) : undefined;
  const expiry = Date.parse(fields.se);
  if (Number.isNaN(expiry) || now > expiry || (start !== undefined && (Number.isNaN(start) || now < start))) {
    return refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, {
      AuthenticationErrorDetail: `Signature not valid in the specified time frame: Start [${fields.st ? rfc1123(new Date(start ?? 0)) : ""}] - Expiry [${Number.isNaN(expiry) ? fields.se : rfc1123(new Date(expiry))}] - Current [${rfc1123(new Date(now))}]`,
    });
  }
  const refusal = (code: keyof typeof NOT_AUTHORIZED) => refuse(403, code, NOT_AUTHORIZED[code]);
  if (!fields.ss.includes(kind[0]!)) return refusal("AuthorizationServiceMismatch");
  if (!fields.srt.includes(operation.level)) return refusal("AuthorizationResourceTypeMismatch");
  if (![...operation.sas].some((letter) => fields.sp.includes(letter)))
    return refusal("AuthorizationPermissionMismatch");
  return undefined;
}

/**
 * A Blob service SAS for a container (sr=c) or one of its blobs (sr=b), signed with the account key
 * (learn.microsoft.com/rest/api/storageservices/create-service-sas "Version 2018-11-09 and later" string-to-sign,
 * with the encryption scope line from 2020-12-06). A stored access policy (si) is not emulated.
 */
export function serviceSasStringToSign(
  account: string,
  resourcePath: string,
  query: Record<string, string>,
): string {
  const field = (name: string) => query[name] ?? "";
  const lines = [
    field("sp"),
    field("st"),
    field("se"),
    `/blob/${account}${resourcePath}`,
    field("si"),
    field("sip"),
    field("spr"),
    field("sv"),
    field("sr"),
    field("snapshot"),
  ];
  if (field("sv") >= ENCRYPTION_SCOPE_VERSION) lines.push(field("ses"));
  lines.push(field("rscc"), field("rscd"), field("rsce"), field("rscl"), field("rsct"));
  return lines.join("\n");
}

function checkServiceSas(
  account: string,
  kind: StorageKind,
  operation: Operation,
  request: ServiceAuthRequest,
  refuse: Refusal,
): RouteResponse | undefined {
  const { query } = request;
  const failed = (detail: string) =>
    refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, { AuthenticationErrorDetail: detail });
  for (const field of ["sv", "sr", "sp", "se", "sig"]) {
    if (!query[field]) return failed(`${field} is mandatory. Cannot be empty`);
  }
  const segments = request.path.split("/").filter(Boolean).map(decodeURIComponent);
  if (kind !== "blob" || !["c", "b"].includes(query["sr"]!) || segments.length === 0) {
    return failed(
      `The msint emulator serves Blob service SAS for sr=c and sr=b only (got sr=${query["sr"]}).`,
    );
  }
  const resourcePath = query["sr"] === "c" ? `/${segments[0]}` : `/${segments.join("/")}`;
  const toSign = serviceSasStringToSign(account, resourcePath, query);
  const expected = createHmac("sha256", Buffer.from(DEMO_STORAGE_ACCOUNT_KEY, "base64"))
    .update(toSign, "utf8")
    .digest();
  const given = Buffer.from(query["sig"]!, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return failed(`Signature did not match. String to sign used was ${toSign}`);
  }
  const expiry = Date.parse(query["se"]!);
  if (Number.isNaN(expiry) || Date.now() > expiry) {
    return failed(`Signature not valid in the specified time frame: Expiry [${query["se"]}]`);
  }
  if (operation.level === "s")
    return refuse(403, "AuthorizationResourceTypeMismatch", NOT_AUTHORIZED.AuthorizationResourceTypeMismatch);
  if (![...operation.sas].some((letter) => query["sp"]!.includes(letter)))
    return refuse(403, "AuthorizationPermissionMismatch", NOT_AUTHORIZED.AuthorizationPermissionMismatch);
  return undefined;
}

const BEARER_DETAILS: Record<string, string> = {
  empty: "The access token is missing.",
  malformed: "The access token is malformed.",
  signature: "Signature validation failed.",
  expired: "Lifetime validation failed. The token is expired.",
  "not-yet-valid": "Lifetime validation failed. The token is not yet valid.",
  audience: "Audience validation failed. Audience did not match.",
  issuer: "Issuer validation failed. Issuer did not match.",
};

/** A bearer token's check: version, token, then the caller's data role for the operation. */
function checkBearer(
  kind: StorageKind,
  operation: Operation,
  request: ServiceAuthRequest,
  check: BearerCheck,
  refuse: Refusal,
): RouteResponse | { claims: AccessTokenClaims } {
  const version = request.headers["x-ms-version"] ?? "";
  if (version < FIRST_OAUTH_VERSION) {
    return refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, {
      AuthenticationErrorDetail: "Authentication scheme Bearer is not supported in this version.",
    });
  }
  if (!check.ok) {
    const detail = BEARER_DETAILS[check.reason] ?? check.message;
    return storageError(
      kind,
      request.headers["accept"],
      401,
      "InvalidAuthenticationInfo",
      SEE_WWW_AUTHENTICATE,
      { AuthenticationErrorDetail: detail },
      {
        "www-authenticate": `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize resource_id=https://storage.azure.com error="invalid_token" error_description="${detail}"`,
      },
    );
  }
  if (
    kind === "file" &&
    operation.level !== "s" &&
    request.headers["x-ms-file-request-intent"] !== "backup"
  ) {
    return refuse(
      400,
      "MissingRequiredHeader",
      "An HTTP header that's mandatory for this request is not specified.",
      {
        HeaderName: "x-ms-file-request-intent",
      },
    );
  }
  const claims = check.claims;
  // A user's token: Storage checks the user's role assignments, which the seed does not hold; a signed-in user passes.
  if (typeof claims.scp === "string") return { claims };
  const granted = new Set((claims.roles ?? []).map((role) => role.toLowerCase()));
  if (!ROLES[kind][operation.access].some((role) => granted.has(role.toLowerCase())))
    return refuse(403, "AuthorizationPermissionMismatch", NOT_AUTHORIZED.AuthorizationPermissionMismatch);
  return { claims };
}

/** Storage's authentication: bearer token (OAuth), else an account SAS in the query, else none (401). */
function authenticate(
  request: ServiceAuthRequest,
  verifyBearer: (token: string) => BearerCheck,
): RouteResponse | { claims: AccessTokenClaims } {
  const address = addressedAccount(request.headers);
  const accept = request.headers["accept"];
  const refuse: Refusal = (status, code, message, details) =>
    storageError(address?.kind, accept, status, code, message, details);
  if (!address)
    return refuse(400, "InvalidUri", "The requested URI does not represent any resource on the server.");
  const operation = operationOf(address.kind, request);
  if (!operation) {
    return refuse(
      400,
      "UnsupportedHttpVerb",
      `The resource doesn't support the specified HTTP verb ${request.method} (or the msint emulator does not serve this operation).`,
    );
  }
  const authorization = request.headers["authorization"] ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (bearer !== undefined)
    return checkBearer(address.kind, operation, request, verifyBearer(bearer), refuse);
  if (authorization) {
    return refuse(403, "AuthenticationFailed", AUTH_FAILED_MESSAGE, {
      AuthenticationErrorDetail:
        "The msint emulator accepts an account SAS or a bearer token; Shared Key is not emulated.",
    });
  }
  if (request.query["sr"] !== undefined && request.query["ss"] === undefined) {
    const refusal = checkServiceSas(address.account, address.kind, operation, request, refuse);
    return refusal ?? { claims: {} as AccessTokenClaims };
  }
  if (request.query["sig"] !== undefined || request.query["sv"] !== undefined) {
    const refusal = checkAccountSas(address.account, address.kind, operation, request.query, refuse);
    return refusal ?? { claims: {} as AccessTokenClaims };
  }
  return storageError(
    address.kind,
    accept,
    401,
    "NoAuthenticationInformation",
    SEE_WWW_AUTHENTICATE,
    {},
    {
      "www-authenticate":
        "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize resource_id=https://storage.azure.com",
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Data

interface StoredBlob {
  content: Buffer;
  contentType: string;
  lastModified: Date;
  tags: Record<string, string>;
  /** When the blob was first written (x-ms-creation-time); lastModified when not set. */
  created?: Date;
  /** The content headers Set Blob Properties stores (x-ms-blob-content-md5 → content-md5, …). */
  contentHeaders?: Record<string, string>;
}

interface Container {
  lastModified: Date;
  publicAccess?: string;
  blobs: Map<string, StoredBlob>;
}

interface Directory {
  lastModified: Date;
  directories: Map<string, Directory>;
  files: Map<string, { content: Buffer; lastModified: Date }>;
}

interface Share {
  quota: number;
  lastModified: Date;
  root: Directory;
}

interface Message {
  id: string;
  text: string;
  inserted: Date;
  expires: Date;
  visibleAt: Date;
  dequeueCount: number;
  popReceipt?: string;
}

interface Queue {
  metadata: Record<string, string>;
  messages: Message[];
}

type Entity = Record<string, unknown> & { PartitionKey: string; RowKey: string; Timestamp: string };

interface Account {
  containers: Map<string, Container>;
  shares: Map<string, Share>;
  queues: Map<string, Queue>;
  tables: Map<string, Map<string, Entity>>;
}

const entityKey = (partitionKey: string, rowKey: string) => `${partitionKey}\u0000${rowKey}`;

function emptyAccount(): Account {
  return { containers: new Map(), shares: new Map(), queues: new Map(), tables: new Map() };
}

function directory(
  files: Record<string, string> = {},
  directories: Record<string, Directory> = {},
  when = new Date(),
): Directory {
  return {
    lastModified: when,
    directories: new Map(Object.entries(directories)),
    files: new Map(
      Object.entries(files).map(([name, text]) => [name, { content: Buffer.from(text), lastModified: when }]),
    ),
  };
}

/** The demo account: containers and blobs, shares and files, queues and messages, tables and entities. */
function demoAccount(): Account {
  const account = emptyAccount();
  const when = new Date("2024-11-25T10:00:00Z");
  const blob = (text: string, contentType: string): StoredBlob => ({
    content: Buffer.from(text),
    contentType,
    lastModified: when,
    tags: {},
  });
  account.containers.set("alerts", {
    lastModified: when,
    blobs: new Map([
      [
        "2024/incident-42.json",
        {
          ...blob('{"id":42,"title":"Impossible travel","severity":"high"}', "application/json"),
          tags: { severity: "high", source: "sentinel" },
        },
      ],
      ["readme.txt", blob("Alerts exported by the SOC pipeline.\n", "text/plain; charset=utf-8")],
    ]),
  });
  account.containers.set("evidence", {
    lastModified: when,
    blobs: new Map([
      [
        "phishing/sample.eml",
        blob("Subject: Your invoice\n\nPlease open the attachment.\n", "message/rfc822"),
      ],
    ]),
  });
  account.containers.set("public-reports", { lastModified: when, publicAccess: "blob", blobs: new Map() });
  account.shares.set("reports", {
    quota: 100,
    lastModified: when,
    root: directory(
      { "readme.txt": "Monthly SOC reports.\n" },
      { "2024": directory({ "summary.txt": "42 incidents, 3 high severity.\n" }, {}, when) },
      when,
    ),
  });
  account.shares.set("evidence", { quota: 50, lastModified: when, root: directory({}, {}, when) });
  const message = (id: string, text: string, minutes: number): Message => {
    const inserted = new Date(when.getTime() + minutes * 60_000);
    return {
      id,
      text,
      inserted,
      // Seeded with a time-to-live of -1: they never expire.
      expires: new Date("9999-12-31T23:59:59Z"),
      visibleAt: inserted,
      dequeueCount: 0,
    };
  };
  account.queues.set("alerts", {
    metadata: { owner: "soc" },
    messages: [
      message("5974b586-0df3-4e2d-ad0c-18e3892bfca2", "incident 42: impossible travel", 0),
      message("b3e0b53a-2f6d-4b58-8d3f-0a6d3b1d2c11", "incident 43: malware detected", 5),
    ],
  });
  account.queues.set("alerts-poison", {
    metadata: {},
    messages: [message("0c7a1f7e-9d2b-4a8e-9c55-7f3e2d1b6a90", "unparsable alert payload", 1)],
  });
  const entity = (partitionKey: string, rowKey: string, fields: Record<string, unknown>): Entity => ({
    PartitionKey: partitionKey,
    RowKey: rowKey,
    Timestamp: when.toISOString(),
    ...fields,
  });
  const incidents = [
    entity("alerts", "42", { Title: "Impossible travel", Severity: "High", Count: 3 }),
    entity("alerts", "43", { Title: "Malware detected", Severity: "Medium", Count: 1 }),
    entity("phishing", "7", { Title: "Invoice lure", Severity: "Low", Count: 12 }),
  ];
  account.tables.set("Incidents", new Map(incidents.map((e) => [entityKey(e.PartitionKey, e.RowKey), e])));
  const device = entity("devices", "laptop-001", { Owner: "adele@contoso.com", Compliant: true });
  account.tables.set("Devices", new Map([[entityKey(device.PartitionKey, device.RowKey), device]]));
  return account;
}

// ---------------------------------------------------------------------------------------------------------------
// Answers of each service

/** A request to one account's service, and its refusals in the service's shape. */
interface StorageCall {
  ctx: RouteContext;
  account: Account;
  accountName: string;
  kind: StorageKind;
  /** The path's segments after the host, URL-decoded (the blob name keeps its slashes in the tail). */
  segments: string[];
  fail(status: number, code: string, message: string, details?: Record<string, string>): RouteResponse;
}

/** A page of sorted names: `prefix`, `marker` (the first name of the page) and `maxresults` (1-5000). */
function paginate(names: Iterable<string>, query: Record<string, string>) {
  const prefix = query["prefix"] ?? "";
  const max = Math.min(Math.max(Number.parseInt(query["maxresults"] ?? "5000", 10) || 5000, 1), 5000);
  const sorted = [...names].filter((name) => name.startsWith(prefix)).sort();
  const marker = query["marker"];
  const from = marker ? sorted.findIndex((name) => name >= marker) : 0;
  const start = from < 0 ? sorted.length : from;
  const page = sorted.slice(start, start + max);
  return { page, next: sorted[start + max], prefix, max };
}

function enumeration(
  call: StorageCall,
  attributes: string,
  listing: ReturnType<typeof paginate>,
  items: string,
) {
  const endpoint = `https://${call.accountName}.${call.kind}.core.windows.net/`;
  const marker = call.ctx.query["marker"];
  return xmlAnswer(
    200,
    `<EnumerationResults ServiceEndpoint="${endpoint}"${attributes}><Prefix>${xmlEscape(listing.prefix)}</Prefix>${marker ? `<Marker>${xmlEscape(marker)}</Marker>` : ""}<MaxResults>${listing.max}</MaxResults>${items}<NextMarker>${xmlEscape(listing.next ?? "")}</NextMarker></EnumerationResults>`,
  );
}

function metadataOf(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.startsWith("x-ms-meta-"))
      .map(([name, value]) => [name.slice("x-ms-meta-".length), value]),
  );
}

function bodyText(ctx: RouteContext): string {
  if (ctx.body === undefined) return "";
  return typeof ctx.body === "string" ? ctx.body : JSON.stringify(ctx.body);
}

// Blob service: learn.microsoft.com/rest/api/storageservices/blob-service-rest-api

function blobService(call: StorageCall): RouteResponse {
  const { ctx, account, segments } = call;
  if (segments.length === 0) {
    const listing = paginate(account.containers.keys(), ctx.query);
    const items = listing.page
      .map((name) => {
        const container = account.containers.get(name)!;
        const access = container.publicAccess ? `<PublicAccess>${container.publicAccess}</PublicAccess>` : "";
        return `<Container><Name>${name}</Name><Properties><Last-Modified>${rfc1123(container.lastModified)}</Last-Modified><Etag>${etagOf(container.lastModified)}</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>${access}<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties></Container>`;
      })
      .join("");
    return enumeration(call, "", listing, `<Containers>${items}</Containers>`);
  }
  const name = segments[0]!;
  const container = account.containers.get(name);
  if (segments.length === 1) return containerRequest(call, name, container);
  if (!container) return call.fail(404, "ContainerNotFound", "The specified container does not exist.");
  return blobRequest(call, container, segments.slice(1).join("/"));
}

function containerRequest(call: StorageCall, name: string, container: Container | undefined): RouteResponse {
  const { ctx, account } = call;
  if (ctx.method === "PUT" && ctx.query["comp"] === "acl") {
    if (!container) return call.fail(404, "ContainerNotFound", "The specified container does not exist.");
    // Set Container ACL (learn.microsoft.com/rest/api/storageservices/set-container-acl): without the
    // x-ms-blob-public-access header the container's data is private.
    const access = ctx.headers["x-ms-blob-public-access"];
    if (access) container.publicAccess = access;
    else delete container.publicAccess;
    container.lastModified = new Date();
    return noContent(200, {
      etag: etagOf(container.lastModified),
      "last-modified": rfc1123(container.lastModified),
    });
  }
  if (ctx.method === "PUT") {
    if (container) return call.fail(409, "ContainerAlreadyExists", "The specified container already exists.");
    const created: Container = { lastModified: new Date(), blobs: new Map() };
    const access = ctx.headers["x-ms-blob-public-access"];
    if (access) created.publicAccess = access;
    account.containers.set(name, created);
    return noContent(201, {
      etag: etagOf(created.lastModified),
      "last-modified": rfc1123(created.lastModified),
    });
  }
  if (!container) return call.fail(404, "ContainerNotFound", "The specified container does not exist.");
  if (ctx.method === "DELETE") {
    account.containers.delete(name);
    return noContent(202);
  }
  if (ctx.query["comp"] !== "list") {
    return noContent(200, {
      etag: etagOf(container.lastModified),
      "last-modified": rfc1123(container.lastModified),
      "x-ms-lease-status": "unlocked",
      "x-ms-lease-state": "available",
      "x-ms-has-immutability-policy": "false",
      "x-ms-has-legal-hold": "false",
      ...(container.publicAccess ? { "x-ms-blob-public-access": container.publicAccess } : {}),
    });
  }
  const listing = paginate(container.blobs.keys(), ctx.query);
  const items = listing.page
    .map((blobName) => {
      const blob = container.blobs.get(blobName)!;
      return `<Blob><Name>${xmlEscape(blobName)}</Name><Properties><Last-Modified>${rfc1123(blob.lastModified)}</Last-Modified><Etag>${etagOf(blob.lastModified)}</Etag><Content-Length>${blob.content.length}</Content-Length><Content-Type>${xmlEscape(blob.contentType)}</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties></Blob>`;
    })
    .join("");
  return enumeration(call, ` ContainerName="${xmlEscape(name)}"`, listing, `<Blobs>${items}</Blobs>`);
}

function blobRequest(call: StorageCall, container: Container, name: string): RouteResponse {
  const { ctx } = call;
  const blob = container.blobs.get(name);
  if (ctx.method === "PUT" && ctx.query["comp"] === "properties") {
    if (!blob) return call.fail(404, "BlobNotFound", "The specified blob does not exist.");
    return setBlobProperties(call, blob);
  }
  if (ctx.method === "PUT" && ctx.query["comp"] !== "tags") {
    const type = ctx.headers["x-ms-blob-type"];
    if (!type) {
      return call.fail(
        400,
        "MissingRequiredHeader",
        "An HTTP header that's mandatory for this request is not specified.",
        {
          HeaderName: "x-ms-blob-type",
        },
      );
    }
    const stored: StoredBlob = {
      content: Buffer.from(bodyText(ctx), "utf8"),
      contentType: ctx.headers["content-type"] ?? "application/octet-stream",
      lastModified: new Date(),
      created: blob?.created ?? new Date(),
      tags: {},
    };
    container.blobs.set(name, stored);
    return noContent(201, {
      etag: etagOf(stored.lastModified),
      "last-modified": rfc1123(stored.lastModified),
    });
  }
  if (!blob) return call.fail(404, "BlobNotFound", "The specified blob does not exist.");
  if (ctx.query["comp"] === "tags") {
    if (ctx.method === "PUT") {
      const tags: Record<string, string> = {};
      for (const match of bodyText(ctx).matchAll(
        /<Tag>\s*<Key>(.*?)<\/Key>\s*<Value>(.*?)<\/Value>\s*<\/Tag>/gs,
      ))
        tags[xmlUnescape(match[1]!)] = xmlUnescape(match[2]!);
      blob.tags = tags;
      return noContent(204);
    }
    const tags = Object.entries(blob.tags)
      .map(([key, value]) => `<Tag><Key>${xmlEscape(key)}</Key><Value>${xmlEscape(value)}</Value></Tag>`)
      .join("");
    return xmlAnswer(200, `<Tags><TagSet>${tags}</TagSet></Tags>`);
  }
  if (ctx.method === "DELETE") {
    container.blobs.delete(name);
    return noContent(202, { "x-ms-delete-type-permanent": "true" });
  }
  const headers = serviceHeaders({
    "content-type": blob.contentType,
    "content-md5": createHash("md5").update(blob.content).digest("base64"),
    ...blob.contentHeaders,
    etag: etagOf(blob.lastModified),
    "last-modified": rfc1123(blob.lastModified),
    "x-ms-creation-time": rfc1123(blob.created ?? blob.lastModified),
    "x-ms-blob-type": "BlockBlob",
    "x-ms-lease-status": "unlocked",
    "x-ms-lease-state": "available",
    "x-ms-tag-count": String(Object.keys(blob.tags).length),
  });
  if (ctx.method === "HEAD")
    return { status: 200, headers: { ...headers, "content-length": String(blob.content.length) } };
  return { status: 200, headers, body: blob.content.toString("utf8") };
}

/**
 * Set Blob Properties (learn.microsoft.com/rest/api/storageservices/set-blob-properties): each x-ms-blob-content-*
 * and x-ms-blob-cache-control header replaces the blob's; those not sent are cleared, as the service does.
 */
function setBlobProperties(call: StorageCall, blob: StoredBlob): RouteResponse {
  const { ctx } = call;
  const names = [
    "content-md5",
    "content-encoding",
    "content-language",
    "content-disposition",
    "cache-control",
  ];
  const stored: Record<string, string> = {};
  for (const name of names) {
    const value = ctx.headers[`x-ms-blob-${name}`];
    if (value !== undefined) stored[name] = value;
  }
  blob.contentHeaders = stored;
  blob.contentType = ctx.headers["x-ms-blob-content-type"] ?? "application/octet-stream";
  blob.lastModified = new Date();
  return noContent(200, { etag: etagOf(blob.lastModified), "last-modified": rfc1123(blob.lastModified) });
}

// File service: learn.microsoft.com/rest/api/storageservices/file-service-rest-api

function fileService(call: StorageCall): RouteResponse {
  const { ctx, account, segments } = call;
  if (segments.length === 0) {
    const listing = paginate(account.shares.keys(), ctx.query);
    const items = listing.page
      .map((name) => {
        const share = account.shares.get(name)!;
        return `<Share><Name>${name}</Name><Properties><Last-Modified>${rfc1123(share.lastModified)}</Last-Modified><Etag>${etagOf(share.lastModified)}</Etag><Quota>${share.quota}</Quota><AccessTier>TransactionOptimized</AccessTier><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState></Properties></Share>`;
      })
      .join("");
    return enumeration(call, "", listing, `<Shares>${items}</Shares>`);
  }
  const name = segments[0]!;
  const share = account.shares.get(name);
  if (segments.length === 1 && ctx.query["restype"] === "share") return shareRequest(call, name, share);
  if (!share) return call.fail(404, "ShareNotFound", "The specified share does not exist.");
  return pathRequest(call, share, segments.slice(1).join("/").split("/").filter(Boolean));
}

function shareRequest(call: StorageCall, name: string, share: Share | undefined): RouteResponse {
  const { ctx, account } = call;
  if (ctx.method === "PUT") {
    if (share) return call.fail(409, "ShareAlreadyExists", "The specified share already exists.");
    const quota = Number.parseInt(ctx.headers["x-ms-share-quota"] ?? "5120", 10);
    if (!Number.isInteger(quota) || quota < 1 || quota > 102_400) {
      return call.fail(
        400,
        "InvalidHeaderValue",
        "The value for one of the HTTP headers is not in the correct format.",
        {
          HeaderName: "x-ms-share-quota",
          HeaderValue: ctx.headers["x-ms-share-quota"] ?? "",
        },
      );
    }
    const now = new Date();
    account.shares.set(name, { quota, lastModified: now, root: directory({}, {}, now) });
    return noContent(201, { etag: etagOf(now), "last-modified": rfc1123(now) });
  }
  if (!share) return call.fail(404, "ShareNotFound", "The specified share does not exist.");
  if (ctx.method === "DELETE") {
    account.shares.delete(name);
    return noContent(202);
  }
  return noContent(200, { "x-ms-share-quota": String(share.quota), etag: etagOf(share.lastModified) });
}

function walk(root: Directory, parts: readonly string[]): Directory | undefined {
  let current: Directory | undefined = root;
  for (const part of parts) current = current?.directories.get(part);
  return current;
}

function pathRequest(call: StorageCall, share: Share, parts: string[]): RouteResponse {
  const { ctx } = call;
  const notFound = () => call.fail(404, "ResourceNotFound", "The specified resource does not exist.");
  if (ctx.query["restype"] !== "directory") {
    const file = walk(share.root, parts.slice(0, -1))?.files.get(parts.at(-1) ?? "");
    if (!file) return notFound();
    const headers = serviceHeaders({
      "content-type": "application/octet-stream",
      "last-modified": rfc1123(file.lastModified),
      "x-ms-type": "File",
    });
    if (ctx.method === "HEAD")
      return { status: 200, headers: { ...headers, "content-length": String(file.content.length) } };
    return { status: 200, headers, body: file.content.toString("utf8") };
  }
  if (ctx.method === "PUT") {
    const parent = walk(share.root, parts.slice(0, -1));
    if (!parent) return call.fail(404, "ParentNotFound", "The specified parent path does not exist.");
    const name = parts.at(-1)!;
    if (parent.directories.has(name) || parent.files.has(name))
      return call.fail(409, "ResourceAlreadyExists", "The specified resource already exists.");
    parent.directories.set(name, directory());
    return noContent(201, { "last-modified": rfc1123(new Date()) });
  }
  const target = walk(share.root, parts);
  if (!target) return notFound();
  if (ctx.method === "DELETE") {
    if (target.directories.size > 0 || target.files.size > 0)
      return call.fail(409, "DirectoryNotEmpty", "The specified directory is not empty.");
    walk(share.root, parts.slice(0, -1))!.directories.delete(parts.at(-1)!);
    return noContent(202);
  }
  if (ctx.query["comp"] !== "list") return noContent(200, { "last-modified": rfc1123(target.lastModified) });
  const listing = paginate([...target.directories.keys(), ...target.files.keys()], ctx.query);
  const items = listing.page
    .map((name) => {
      const file = target.files.get(name);
      return file
        ? `<File><Name>${xmlEscape(name)}</Name><Properties><Content-Length>${file.content.length}</Content-Length></Properties></File>`
        : `<Directory><Name>${xmlEscape(name)}</Name><Properties /></Directory>`;
    })
    .join("");
  const attributes = ` ShareName="${xmlEscape(call.segments[0]!)}" DirectoryPath="${xmlEscape(parts.join("/"))}"`;
  return enumeration(call, attributes, listing, `<Entries>${items}</Entries>`);
}

// Queue service: learn.microsoft.com/rest/api/storageservices/queue-service-rest-api

function messageXml(message: Message, fields: { receipt: boolean; text: boolean }): string {
  const receipt = fields.receipt
    ? `<PopReceipt>${message.popReceipt}</PopReceipt><TimeNextVisible>${rfc1123(message.visibleAt)}</TimeNextVisible>`
    : "";
  const text = fields.text
    ? `<DequeueCount>${message.dequeueCount}</DequeueCount><MessageText>${xmlEscape(message.text)}</MessageText>`
    : "";
  return `<QueueMessage><MessageId>${message.id}</MessageId><InsertionTime>${rfc1123(message.inserted)}</InsertionTime><ExpirationTime>${rfc1123(message.expires)}</ExpirationTime>${receipt}${text}</QueueMessage>`;
}

/** A whole-number query parameter within bounds (400 OutOfRangeQueryParameterValue otherwise). */
function boundedQuery(
  call: StorageCall,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | RouteResponse {
  const raw = call.ctx.query[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  return call.fail(
    400,
    "OutOfRangeQueryParameterValue",
    "One of the query parameters specified in the request URI is outside the permissible range.",
    {
      QueryParameterName: name,
      QueryParameterValue: raw,
      MinimumAllowed: String(min),
      MaximumAllowed: String(max),
    },
  );
}

function queueService(call: StorageCall): RouteResponse {
  const { ctx, account, segments } = call;
  if (segments.length === 0) {
    const listing = paginate(account.queues.keys(), ctx.query);
    const withMetadata = (ctx.query["include"] ?? "").includes("metadata");
    const items = listing.page
      .map((name) => {
        const metadata = withMetadata
          ? `<Metadata>${Object.entries(account.queues.get(name)!.metadata)
              .map(([key, value]) => `<${key}>${xmlEscape(value)}</${key}>`)
              .join("")}</Metadata>`
          : "";
        return `<Queue><Name>${name}</Name>${metadata}</Queue>`;
      })
      .join("");
    return enumeration(call, "", listing, `<Queues>${items}</Queues>`);
  }
  const name = segments[0]!;
  const queue = account.queues.get(name);
  if (segments.length === 1) return queueRequest(call, name, queue);
  if (!queue) return call.fail(404, "QueueNotFound", "The specified queue does not exist.");
  const now = new Date();
  queue.messages = queue.messages.filter((message) => message.expires > now);
  return messagesRequest(call, queue, now);
}

function queueRequest(call: StorageCall, name: string, queue: Queue | undefined): RouteResponse {
  const { ctx, account } = call;
  const metadata = metadataOf(ctx.headers);
  if (ctx.method === "PUT" && ctx.query["comp"] !== "metadata") {
    if (!queue) {
      account.queues.set(name, { metadata, messages: [] });
      return noContent(201);
    }
    // An existing queue with the same metadata: 204; with other metadata: 409 (create-queue4).
    return JSON.stringify(queue.metadata) === JSON.stringify(metadata)
      ? noContent(204)
      : call.fail(409, "QueueAlreadyExists", "The specified queue already exists.");
  }
  if (!queue) return call.fail(404, "QueueNotFound", "The specified queue does not exist.");
  if (ctx.method === "DELETE") {
    account.queues.delete(name);
    return noContent(204);
  }
  if (ctx.method === "PUT") {
    queue.metadata = metadata;
    return noContent(204);
  }
  const headers: Record<string, string> = {
    "x-ms-approximate-messages-count": String(queue.messages.length),
  };
  for (const [key, value] of Object.entries(queue.metadata)) headers[`x-ms-meta-${key}`] = value;
  return noContent(200, headers);
}

function messagesRequest(call: StorageCall, queue: Queue, now: Date): RouteResponse {
  const { ctx, segments } = call;
  if (ctx.method === "DELETE" && segments.length === 3) {
    const message = queue.messages.find((candidate) => candidate.id === segments[2]);
    if (!message) return call.fail(404, "MessageNotFound", "The specified message does not exist.");
    if (message.popReceipt === undefined || message.popReceipt !== ctx.query["popreceipt"])
      return call.fail(
        400,
        "PopReceiptMismatch",
        "The specified pop receipt did not match the pop receipt for a dequeued message.",
      );
    queue.messages = queue.messages.filter((candidate) => candidate !== message);
    return noContent(204);
  }
  if (ctx.method === "DELETE") {
    queue.messages = [];
    return noContent(204);
  }
  if (ctx.method === "POST") return putMessage(call, queue, now);
  const count = boundedQuery(call, "numofmessages", 1, 1, 32);
  if (typeof count !== "number") return count;
  const visible = queue.messages.filter((message) => message.visibleAt <= now).slice(0, count);
  if (ctx.query["peekonly"] === "true") {
    const items = visible.map((message) => messageXml(message, { receipt: false, text: true })).join("");
    return xmlAnswer(200, `<QueueMessagesList>${items}</QueueMessagesList>`);
  }
  const timeout = boundedQuery(call, "visibilitytimeout", 30, 1, 604_800);
  if (typeof timeout !== "number") return timeout;
  for (const message of visible) {
    message.dequeueCount += 1;
    message.popReceipt = randomUUID().replace(/-/g, "").slice(0, 16);
    message.visibleAt = new Date(now.getTime() + timeout * 1000);
  }
  const items = visible.map((message) => messageXml(message, { receipt: true, text: true })).join("");
  return xmlAnswer(200, `<QueueMessagesList>${items}</QueueMessagesList>`);
}

function putMessage(call: StorageCall, queue: Queue, now: Date): RouteResponse {
  const match = /<QueueMessage>\s*<MessageText>([\s\S]*?)<\/MessageText>\s*<\/QueueMessage>/.exec(
    bodyText(call.ctx),
  );
  if (!match) return call.fail(400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
  const delay = boundedQuery(call, "visibilitytimeout", 0, 0, 604_800);
  if (typeof delay !== "number") return delay;
  const ttl = boundedQuery(call, "messagettl", 604_800, -1, Number.MAX_SAFE_INTEGER);
  if (typeof ttl !== "number") return ttl;
  const message: Message = {
    id: randomUUID(),
    text: xmlUnescape(match[1]!),
    inserted: now,
    expires: ttl === -1 ? new Date("9999-12-31T23:59:59Z") : new Date(now.getTime() + ttl * 1000),
    visibleAt: new Date(now.getTime() + delay * 1000),
    dequeueCount: 0,
    popReceipt: randomUUID().replace(/-/g, "").slice(0, 16),
  };
  queue.messages.push(message);
  return xmlAnswer(
    201,
    `<QueueMessagesList>${messageXml(message, { receipt: true, text: false })}</QueueMessagesList>`,
  );
}

// Table service: learn.microsoft.com/rest/api/storageservices/table-service-rest-api

type Predicate = (entity: Record<string, unknown>) => boolean;

/**
 * A `$filter` of the Table service as a predicate: comparisons (`eq ne gt ge lt le`) of a property with a string,
 * number or boolean literal, `and`, `or`, `not` and parentheses (querying-tables-and-entities). Undefined when the
 * filter is not understood.
 */
function parseFilter(filter: string): Predicate | undefined {
  const tokens = filter.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  let position = 0;
  const peek = () => tokens[position]?.toLowerCase();
  const literal = (token: string | undefined): unknown => {
    if (token === undefined) throw new Error("literal expected");
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === "true" || token === "false") return token === "true";
    const number = Number(token.replace(/L$/, ""));
    if (Number.isNaN(number)) throw new Error(`bad literal ${token}`);
    return number;
  };
  const compare = (left: unknown, operator: string, right: unknown): boolean => {
    if (left === undefined) return false;
    if (operator === "eq") return left === right;
    if (operator === "ne") return left !== right;
    if (typeof left !== typeof right) return false;
    const [a, b] = [left as string | number, right as string | number];
    return operator === "gt" ? a > b : operator === "ge" ? a >= b : operator === "lt" ? a < b : a <= b;
  };
  const primary = (): Predicate => {
    if (peek() === "not") {
      position++;
      const inner = primary();
      return (entity) => !inner(entity);
    }
    if (peek() === "(") {
      position++;
      const inner = disjunction();
      if (tokens[position++] !== ")") throw new Error(") expected");
      return inner;
    }
    const property = tokens[position++];
    const operator = tokens[position++]?.toLowerCase() ?? "";
    if (!property || !["eq", "ne", "gt", "ge", "lt", "le"].includes(operator))
      throw new Error("comparison expected");
    const value = literal(tokens[position++]);
    return (entity) => compare(entity[property], operator, value);
  };
  const conjunction = (): Predicate => {
    let left = primary();
    while (peek() === "and") {
      position++;
      const [a, b] = [left, primary()];
      left = (entity) => a(entity) && b(entity);
    }
    return left;
  };
  const disjunction = (): Predicate => {
    let left = conjunction();
    while (peek() === "or") {
      position++;
      const [a, b] = [left, conjunction()];
      left = (entity) => a(entity) || b(entity);
    }
    return left;
  };
  try {
    const predicate = disjunction();
    return position === tokens.length ? predicate : undefined;
  } catch {
    return undefined;
  }
}

/** `$filter` and `$top` of a Table query, or the refusal. */
function tableQuery(call: StorageCall): { predicate: Predicate; top: number } | RouteResponse {
  const filter = call.ctx.query["$filter"];
  const predicate = filter ? parseFilter(filter) : () => true;
  if (!predicate) return call.fail(400, "InvalidInput", "One of the request inputs is not valid.");
  const top = boundedQuery(call, "$top", 1000, 1, 1000);
  if (typeof top !== "number") return top;
  return { predicate, top };
}

function tableService(call: StorageCall): RouteResponse {
  const { ctx, account } = call;
  const target = tableTarget(ctx.path.split("/").filter(Boolean)[0] ?? "")!;
  if (target.kind === "tables") {
    if (ctx.method === "POST") return createTable(call);
    const query = tableQuery(call);
    if ("status" in query) return query;
    const names = [...account.tables.keys()].sort().filter((name) => query.predicate({ TableName: name }));
    const headers: Record<string, string> =
      names.length > query.top ? { "x-ms-continuation-NextTableName": names[query.top]! } : {};
    return jsonAnswer(
      200,
      { value: names.slice(0, query.top).map((name) => ({ TableName: name })) },
      headers,
    );
  }
  if (target.kind === "table") {
    if (!account.tables.delete(target.table))
      return call.fail(404, "TableNotFound", "The table specified does not exist.");
    return noContent(204);
  }
  const entities = account.tables.get(target.table);
  if (!entities) return call.fail(404, "TableNotFound", "The table specified does not exist.");
  if (target.partitionKey !== undefined && target.rowKey !== undefined)
    return entityRequest(call, entities, target.partitionKey, target.rowKey);
  if (ctx.method === "POST") return insertEntity(call, entities);
  const query = tableQuery(call);
  if ("status" in query) return query;
  const select = ctx.query["$select"]
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const found = [...entities.values()]
    .sort((a, b) => (entityKey(a.PartitionKey, a.RowKey) < entityKey(b.PartitionKey, b.RowKey) ? -1 : 1))
    .filter(query.predicate);
  const page = found
    .slice(0, query.top)
    .map((entity) =>
      select ? Object.fromEntries(select.map((name) => [name, entity[name] ?? null])) : entity,
    );
  const next = found[query.top];
  const headers: Record<string, string> = next
    ? { "x-ms-continuation-NextPartitionKey": next.PartitionKey, "x-ms-continuation-NextRowKey": next.RowKey }
    : {};
  return jsonAnswer(200, { value: page }, headers);
}

function wantsContent(ctx: RouteContext): boolean {
  return !/return-no-content/i.test(ctx.headers["prefer"] ?? "");
}

function createTable(call: StorageCall): RouteResponse {
  const name = (call.ctx.body as { TableName?: unknown } | undefined)?.TableName;
  if (typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name))
    return call.fail(400, "InvalidResourceName", "The specifed resource name contains invalid characters.");
  if ([...call.account.tables.keys()].some((existing) => existing.toLowerCase() === name.toLowerCase()))
    return call.fail(409, "TableAlreadyExists", "The table specified already exists.");
  call.account.tables.set(name, new Map());
  return wantsContent(call.ctx)
    ? jsonAnswer(201, { TableName: name }, { "preference-applied": "return-content" })
    : noContent(204, { "preference-applied": "return-no-content" });
}

function insertEntity(call: StorageCall, entities: Map<string, Entity>): RouteResponse {
  const body = call.ctx.body as Record<string, unknown> | undefined;
  const [partitionKey, rowKey] = [body?.["PartitionKey"], body?.["RowKey"]];
  if (!body || typeof partitionKey !== "string" || typeof rowKey !== "string")
    return call.fail(
      400,
      "PropertiesNeedValue",
      "The values are not specified for all properties in the entity.",
    );
  const key = entityKey(partitionKey, rowKey);
  if (entities.has(key)) return call.fail(409, "EntityAlreadyExists", "The specified entity already exists.");
  const now = new Date();
  const entity = { ...body, PartitionKey: partitionKey, RowKey: rowKey, Timestamp: now.toISOString() };
  entities.set(key, entity);
  const etag = `W/"datetime'${encodeURIComponent(now.toISOString())}'"`;
  return wantsContent(call.ctx)
    ? jsonAnswer(201, entity, { etag, "preference-applied": "return-content" })
    : noContent(204, { etag, "preference-applied": "return-no-content" });
}

function entityRequest(
  call: StorageCall,
  entities: Map<string, Entity>,
  partitionKey: string,
  rowKey: string,
): RouteResponse {
  const key = entityKey(partitionKey, rowKey);
  const entity = entities.get(key);
  const { method } = call.ctx;
  if (method === "PUT" || method === "MERGE" || method === "PATCH") {
    const body = (call.ctx.body ?? {}) as Record<string, unknown>;
    const base = method === "PUT" ? {} : (entity ?? {});
    const updated = {
      ...base,
      ...body,
      PartitionKey: partitionKey,
      RowKey: rowKey,
      Timestamp: new Date().toISOString(),
    };
    entities.set(key, updated);
    return noContent(204);
  }
  if (!entity) return call.fail(404, "ResourceNotFound", "The specified resource does not exist.");
  if (method === "DELETE") {
    entities.delete(key);
    return noContent(204);
  }
  return jsonAnswer(200, entity);
}

// ---------------------------------------------------------------------------------------------------------------
// The service

const SERVICES: Record<StorageKind, (call: StorageCall) => RouteResponse> = {
  blob: blobService,
  file: fileService,
  queue: queueService,
  table: tableService,
};

export const storageService: EmulatedService = {
  key: "storage",
  displayName: "Azure Storage (Blob, File, Queue, Table)",
  // https://storage.azure.com is the audience of every cloud's Storage; the GUID is Azure Storage's app ID.
  audiences: ["https://storage.azure.com", "e406a681-f3d4-42a8-90b6-c2b029497af1"],
  hosts: HOST,
  hostsOnly: true,
  authenticate,
  // The role assignments of the demo identities on the demo account (Storage checks them, not the token).
  demoRoles: [
    "Storage Blob Data Contributor",
    "Storage File Data Privileged Contributor",
    "Storage Queue Data Contributor",
    "Storage Table Data Contributor",
  ],
  demoScopes: ["user_impersonation"],
  routes(): ServiceRoute[] {
    const accounts = new Map<string, Account>([[DEMO_STORAGE_ACCOUNT, demoAccount()]]);
    const handler = (ctx: RouteContext): RouteResponse => {
      const address = addressedAccount(ctx.headers)!;
      let account = accounts.get(address.account);
      if (!account) {
        account = emptyAccount();
        accounts.set(address.account, account);
      }
      const rest = ctx.params["*"] ?? "";
      return SERVICES[address.kind]({
        ctx,
        account,
        accountName: address.account,
        kind: address.kind,
        segments: rest.split("/").filter(Boolean),
        fail: (status, code, message, details) =>
          storageError(address.kind, ctx.headers["accept"], status, code, message, details),
      });
    };
    return ["GET", "HEAD", "PUT", "POST", "DELETE", "MERGE", "PATCH"].map((method) => ({
      method,
      path: "/*",
      handler,
    }));
  },
};
