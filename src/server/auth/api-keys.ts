import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `tpk_<key id>_<secret>`. The key id is public (it finds the row); only a
 * SHA-256 of the secret is stored. The secret has 256 bits of entropy, so a fast hash is enough:
 * nothing to brute-force, unlike a password.
 */

export const API_KEY_PREFIX = 'tpk_';

export interface NewKeyMaterial {
  keyId: string;
  secretHash: string;
  /** The whole key, shown to its creator once and never stored. */
  plaintext: string;
}

export function newKeyMaterial(): NewKeyMaterial {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secretHash: hashSecret(secret), plaintext: `${API_KEY_PREFIX}${keyId}_${secret}` };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseApiKey(token: string): { keyId: string; secret: string } | undefined {
  const m = /^tpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
