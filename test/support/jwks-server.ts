import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A local stand-in for an identity provider's signing-key endpoint (Entra's discovery keys,
 * Google's oauth2/v3/certs): it serves the public half of keys generated here, in the documented
 * JWKS shape, and counts how often it was asked.
 */
export interface Issuer {
  url: string;
  requests: number;
  sign(payload: JWTPayload, options?: { kid?: string; key?: CryptoKey; header?: Record<string, unknown> }): Promise<string>;
  /** A second key the JWKS does not publish, to forge signatures with. */
  foreignKey: CryptoKey;
  close(): Promise<void>;
}

export async function startIssuer(kid = 'test-key-1'): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (req.url !== '/keys') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/keys`,
    get requests() {
      return state.requests;
    },
    foreignKey: foreign.privateKey,
    sign: (payload, options = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT', ...options.header }).sign(options.key ?? privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A token with `alg: none` and no signature: must never be accepted. */
export function unsignedToken(payload: JWTPayload): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
