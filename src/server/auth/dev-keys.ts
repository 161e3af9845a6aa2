import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type CryptoKey } from 'jose';

/**
 * Dev mode's own token issuer: an ES256 key kept in the data directory so tokens survive a
 * restart. Only ever loaded when dev mode is on, which the config refuses in production.
 */
export const DEV_ISSUER = 'tradepane-dev';
export const DEV_AUDIENCE = 'tradepane-dev';

export interface DevSigner {
  publicKey: CryptoKey;
  sign(claims: { tenantId: string; userId: string; email: string }, ttlSeconds?: number): Promise<string>;
}

export async function loadDevSigner(dataDir: string): Promise<DevSigner> {
  const file = join(dataDir, 'dev-signing-key.json');
  let privateJwk: JWK;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = await exportJWK(privateKey);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  const { d: _d, ...publicJwk } = privateJwk;
  const publicKey = (await importJWK(publicJwk, 'ES256')) as CryptoKey;
  return {
    publicKey,
    sign: ({ tenantId, userId, email }, ttlSeconds = 12 * 3600) =>
      new SignJWT({ tid: tenantId, email })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
  };
}
