import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { unauthorized } from '../errors.js';
import { DEV_AUDIENCE, DEV_ISSUER } from './dev-keys.js';
import { LRUCache } from 'lru-cache';

/**
 * Verification of the bearer tokens the store accepts. Every path checks signature (against the
 * issuer's published keys), issuer, audience, expiry and not-before; jose refuses `alg: none`.
 * The unverified issuer is read only to pick which verifier runs, never trusted.
 */

export interface VerifiedIdentity {
  method: 'microsoft' | 'google' | 'dev';
  email: string;
  /** Microsoft: the Entra tenant id (tid). Google: the Workspace domain (hd). Dev: our tenant id. */
  organisation: string | undefined;
  subject: string;
  claims: JWTPayload;
}

const CLOCK_TOLERANCE_SECONDS = 60;

function explain(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.claim === 'aud') return 'token audience is not this store';
    if (error.claim === 'iss') return 'token issuer is not accepted';
    return `token claim "${error.claim}" is not valid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'token is malformed';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError) return `token could not be verified (${error.code})`;
  return 'token could not be verified';
}

async function verify(token: string, key: Parameters<typeof jwtVerify>[1], options: Parameters<typeof jwtVerify>[2]): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key as never, { clockTolerance: CLOCK_TOLERANCE_SECONDS, ...options });
    return payload;
  } catch (error) {
    throw unauthorized(explain(error));
  }
}

function stringClaim(payload: JWTPayload, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = payload[n];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

export interface TokenVerifierOptions {
  microsoft: Config['microsoft'];
  google: Config['google'];
  devPublicKey?: CryptoKey | undefined;
}

/**
 * Remembers tokens already verified, until they expire (at most 10 minutes): a signature check
 * costs ~0.6 ms and a task pane sends the same token on every call. Only the cryptographic
 * verdict is cached; the user behind it is still looked up on every request, so disabling a
 * user takes effect at once.
 */
class VerifiedTokenCache {
  // Expiry is checked against the caller's clock below (not lru-cache's ttl), so tests can move time.
  private readonly entries: LRUCache<string, { identity: VerifiedIdentity; until: number }>;

  constructor(maxEntries = 10_000, private readonly maxAgeMs = 10 * 60_000) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  get(token: string, now = Date.now()): VerifiedIdentity | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return hit.identity;
  }

  set(token: string, identity: VerifiedIdentity, now = Date.now()): void {
    const exp = typeof identity.claims.exp === 'number' ? identity.claims.exp * 1000 : now;
    const until = Math.min(exp, now + this.maxAgeMs);
    if (until <= now) return;
    this.entries.set(token, { identity, until });
  }
}

export class TokenVerifier {
  private readonly cache = new VerifiedTokenCache();
  private readonly microsoftKeys;
  private readonly googleKeys;
  private readonly microsoftIssuer: RegExp;

  constructor(private readonly options: TokenVerifierOptions) {
    this.microsoftKeys = createRemoteJWKSet(new URL(options.microsoft.jwksUrl), { timeoutDuration: 5000 });
    this.googleKeys = createRemoteJWKSet(new URL(options.google.jwksUrl), { timeoutDuration: 5000 });
    const [before, after] = options.microsoft.issuerTemplate.split('{tenantid}') as [string, string];
    this.microsoftIssuer = new RegExp(`^${escapeRegExp(before)}[0-9a-fA-F-]{36}${escapeRegExp(after)}$`);
  }

  async verify(token: string): Promise<VerifiedIdentity> {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const identity = await this.verifyUncached(token);
    this.cache.set(token, identity);
    return identity;
  }

  private async verifyUncached(token: string): Promise<VerifiedIdentity> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthorized('token is malformed');
    }
    if (issuer === DEV_ISSUER && this.options.devPublicKey) return this.verifyDev(token, this.options.devPublicKey);
    if (issuer && this.options.google.issuers.includes(issuer)) return this.verifyGoogle(token);
    if (issuer && this.microsoftIssuer.test(issuer)) return this.verifyMicrosoft(token);
    throw unauthorized('token issuer is not accepted');
  }

  /** Entra ID access token: the issuer must name the same tenant as the token's tid. */
  async verifyMicrosoft(token: string): Promise<VerifiedIdentity> {
    const audience = this.options.microsoft.audience;
    if (!audience) throw unauthorized('Microsoft sign-in is not configured on this store (MS_AUDIENCE)');
    const payload = await verify(token, this.microsoftKeys, { audience, algorithms: ['RS256'] });
    const tid = stringClaim(payload, 'tid');
    if (!tid || payload.iss !== this.options.microsoft.issuerTemplate.replace('{tenantid}', tid)) {
      throw unauthorized('token issuer does not match its tenant');
    }
    const email = stringClaim(payload, 'preferred_username', 'email', 'upn');
    if (!email) throw unauthorized('token carries no user e-mail (preferred_username, email or upn)');
    return { method: 'microsoft', email: email.toLowerCase(), organisation: tid, subject: stringClaim(payload, 'oid', 'sub') ?? email, claims: payload };
  }

  /**
   * Google-signed ID token. `audience` defaults to the configured one; the Gmail add-on passes its
   * endpoint URL. `expectedEmail` pins the signer (the add-on's service account).
   */
  async verifyGoogle(token: string, check: { audience?: string; expectedEmail?: string } = {}): Promise<VerifiedIdentity> {
    const audience = check.audience ?? this.options.google.audience;
    if (!audience) throw unauthorized('Google sign-in is not configured on this store (GOOGLE_AUDIENCE)');
    const payload = await verify(token, this.googleKeys, { audience, issuer: this.options.google.issuers, algorithms: ['RS256'] });
    const email = stringClaim(payload, 'email');
    if (!email || payload.email_verified !== true) throw unauthorized('token e-mail is missing or not verified');
    if (check.expectedEmail && email.toLowerCase() !== check.expectedEmail.toLowerCase()) {
      throw unauthorized('token was not issued to the expected service account');
    }
    return { method: 'google', email: email.toLowerCase(), organisation: stringClaim(payload, 'hd'), subject: payload.sub ?? email, claims: payload };
  }

  async verifyDev(token: string, key: CryptoKey): Promise<VerifiedIdentity> {
    const payload = await verify(token, key, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['ES256'] });
    const email = stringClaim(payload, 'email');
    const tid = stringClaim(payload, 'tid');
    if (!email || !tid || !payload.sub) throw unauthorized('dev token is missing tid, sub or email');
    return { method: 'dev', email, organisation: tid, subject: payload.sub, claims: payload };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
