import { randomBytes, randomInt } from "node:crypto";

/** An issued authorization code (single use, short-lived). */
export interface AuthorizationCodeRecord {
  code: string;
  tenantId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  /** The scopes of the /authorize request, as sent. */
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  nonce?: string;
  /** Epoch ms. */
  issuedAt: number;
  redeemed: boolean;
}

/** An issued refresh token. */
export interface RefreshTokenRecord {
  token: string;
  tenantId: string;
  clientId: string;
  userId: string;
  /** Scopes of the grant it came from (used when a refresh request sends no `scope`). */
  scopes: string[];
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms; the token is refused (AADSTS700082) from then on. */
  expiresAt: number;
  /** Exchanged for a newer refresh token already (rotation). */
  rotated: boolean;
  /** Epoch ms of revocation (AADSTS50173). */
  revokedAt?: number;
}

export type DeviceCodeStatus = "pending" | "approved" | "declined" | "redeemed";

/** A device authorization (RFC 8628) in progress. */
export interface DeviceCodeRecord {
  deviceCode: string;
  userCode: string;
  /** Tenant segment of the /devicecode request (an ID, a domain, `organizations`, `common`). */
  tenantSegment: string;
  /** The tenant, when the segment named one. */
  tenantId?: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** Seconds; grows by 5 after each `slow_down`. */
  interval: number;
  lastPollAt?: number;
  status: DeviceCodeStatus;
  /** Who approved it, and in which tenant. */
  userId?: string;
  userTenantId?: string;
}

/** What an interactive sign-in is for. */
export type InteractionKind = "authorize" | "device" | "adminconsent";

/** An interactive sign-in (browser pages) in progress. */
export interface InteractionFlow {
  id: string;
  kind: InteractionKind;
  /** Tenant segment of the URL the flow started at. */
  tenantSegment: string;
  /** The tenant, when the segment named one (else the user's tenant decides). */
  tenantId?: string;
  clientId: string;
  scopes: string[];
  loginHint?: string;
  prompt?: string;
  /** Authorize flows. */
  redirectUri?: string;
  state?: string;
  responseMode?: "query" | "fragment" | "form_post";
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  nonce?: string;
  /** Device flows. */
  userCode?: string;
  /** Set once the user has signed in (or a session cookie identified them). */
  userId?: string;
  userTenantId?: string;
  /** The password was asked in this flow (prompt=login honoured). */
  passwordChecked?: boolean;
  /** The consent page was answered in this flow (prompt=consent honoured). */
  consentAnswered?: boolean;
  /** Device flows signed in by cookie: the user confirmed "continue". */
  confirmed?: boolean;
  createdAt: number;
}

/** A seen client-assertion `jti`: the assertion's digest and its expiry (epoch seconds). */
interface SeenAssertion {
  digest: string;
  exp: number;
}

/** Alphabet of user codes (Entra's look like `FQK5HW3UF`): upper-case letters and digits. */
const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** An opaque random token (base64url). */
export function opaqueToken(prefix: string, bytes = 48): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

function userCode(): string {
  let code = "";
  for (let i = 0; i < 9; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

const PRUNE_ABOVE = 5000;

function pruneExpired<T>(map: Map<string, T>, expired: (value: T) => boolean): void {
  if (map.size < PRUNE_ABOVE) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
}

/** The emulator's memory of grants in progress and issued: one per emulator instance. */
export class FlowStore {
  readonly codes = new Map<string, AuthorizationCodeRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly deviceCodes = new Map<string, DeviceCodeRecord>();
  readonly userCodes = new Map<string, DeviceCodeRecord>();
  readonly interactions = new Map<string, InteractionFlow>();
  /** `tenant|user|client` → consented scope keys. */
  readonly consents = new Map<string, Set<string>>();
  /** `tenant|client` of tenant-wide admin consents. */
  readonly adminConsents = new Set<string>();
  readonly #assertions = new Map<string, SeenAssertion>();
  /** Key of the session cookie's HMAC. */
  readonly sessionKey = randomBytes(32);
  lastDeviceCode: DeviceCodeRecord | undefined;

  constructor(private readonly now: () => number) {}

  addCode(record: Omit<AuthorizationCodeRecord, "code" | "issuedAt" | "redeemed">, lifetimeMs: number) {
    pruneExpired(this.codes, (code) => code.issuedAt + lifetimeMs < this.now());
    const full: AuthorizationCodeRecord = {
      ...record,
      code: opaqueToken("1.AQ", 96),
      issuedAt: this.now(),
      redeemed: false,
    };
    this.codes.set(full.code, full);
    return full;
  }

  addRefreshToken(
    record: Pick<RefreshTokenRecord, "tenantId" | "clientId" | "userId" | "scopes">,
    lifetimeSeconds: number,
    token = opaqueToken("1.AQ", 128),
  ): RefreshTokenRecord {
    pruneExpired(this.refreshTokens, (entry) => entry.expiresAt < this.now());
    const issuedAt = this.now();
    const full: RefreshTokenRecord = {
      ...record,
      token,
      issuedAt,
      expiresAt: issuedAt + lifetimeSeconds * 1000,
      rotated: false,
    };
    this.refreshTokens.set(token, full);
    return full;
  }

  addDeviceCode(
    record: Pick<DeviceCodeRecord, "tenantSegment" | "tenantId" | "clientId" | "scopes" | "interval">,
    lifetimeSeconds: number,
  ): DeviceCodeRecord {
    pruneExpired(this.deviceCodes, (entry) => entry.expiresAt < this.now());
    let code = userCode();
    while (this.userCodes.has(code)) code = userCode();
    const issuedAt = this.now();
    const full: DeviceCodeRecord = {
      ...record,
      deviceCode: opaqueToken("DAQABAAEAAA", 96),
      userCode: code,
      issuedAt,
      expiresAt: issuedAt + lifetimeSeconds * 1000,
      status: "pending",
    };
    this.deviceCodes.set(full.deviceCode, full);
    this.userCodes.set(full.userCode, full);
    this.lastDeviceCode = full;
    return full;
  }

  /** A device code by its user code (case and dashes ignored, as Entra's page does). */
  deviceByUserCode(code: string): DeviceCodeRecord | undefined {
    return this.userCodes.get(code.replace(/[\s-]/g, "").toUpperCase());
  }

  addInteraction(flow: Omit<InteractionFlow, "id" | "createdAt">): InteractionFlow {
    pruneExpired(this.interactions, (entry) => entry.createdAt + 3_600_000 < this.now());
    const full: InteractionFlow = { ...flow, id: opaqueToken("", 24), createdAt: this.now() };
    this.interactions.set(full.id, full);
    return full;
  }

  /** Record consent (a user's, or tenant-wide when `userId` is undefined). */
  consent(tenantId: string, clientId: string, userId: string | undefined, scopeKeys: Iterable<string>): void {
    if (userId === undefined) {
      this.adminConsents.add(`${tenantId}|${clientId}`.toLowerCase());
      return;
    }
    const key = `${tenantId}|${userId}|${clientId}`.toLowerCase();
    const set = this.consents.get(key) ?? new Set<string>();
    for (const scope of scopeKeys) set.add(scope.toLowerCase());
    this.consents.set(key, set);
  }

  hasAdminConsent(tenantId: string, clientId: string): boolean {
    return this.adminConsents.has(`${tenantId}|${clientId}`.toLowerCase());
  }

  /** Whether every scope key is consented by the user, or the app has tenant-wide admin consent. */
  hasConsent(tenantId: string, clientId: string, userId: string, scopeKeys: Iterable<string>): boolean {
    if (this.hasAdminConsent(tenantId, clientId)) return true;
    const set = this.consents.get(`${tenantId}|${userId}|${clientId}`.toLowerCase());
    for (const scope of scopeKeys) if (!set?.has(scope.toLowerCase())) return false;
    return true;
  }

  /**
   * Remember a client assertion's `jti` until it expires. Returns false for a replay: the `jti` was seen with a
   * different assertion, or (strict) at all.
   */
  rememberAssertion(clientId: string, jti: string, digest: string, exp: number, strict: boolean): boolean {
    const nowSeconds = this.now() / 1000;
    pruneExpired(this.#assertions, (entry) => entry.exp < nowSeconds);
    const key = `${clientId.toLowerCase()}|${jti}`;
    const seen = this.#assertions.get(key);
    if (seen && seen.exp >= nowSeconds - 300 && (strict || seen.digest !== digest)) return false;
    this.#assertions.set(key, { digest, exp });
    return true;
  }
}
