import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Helpers for the sign-in tests: JWT-shaped tokens, storage, a dev store on 127.0.0.1. */

export function jwtWithExp(expSeconds: number, sub = 'rep'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub, exp: expSeconds })}.c2lnbmF0dXJl`;
}

/** Installs OfficeRuntime.storage over `map` so cacheStorage() uses it (as classic Windows does). */
export function installRuntimeStorage(map: Map<string, string>): void {
  (globalThis as { OfficeRuntime?: unknown }).OfficeRuntime = {
    storage: {
      getItem: async (k: string) => map.get(k) ?? null,
      setItem: async (k: string, v: string) => void map.set(k, v),
      removeItem: async (k: string) => void map.delete(k),
    },
  };
}

export interface DevStore {
  url: string;
  /** Emails asked for, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** The store's /dev/token as the Outlook code sees it: a token for a known email, 404 otherwise. */
export async function devStore(known: Record<string, string>): Promise<DevStore> {
  const asked: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/dev/token') return void response.writeHead(404).end();
    const email = url.searchParams.get('email') ?? '';
    asked.push(email);
    const token = known[email];
    if (!token) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, email, expiresInSeconds: 12 * 3600 }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
