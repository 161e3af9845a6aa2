import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { send } from '../../../src/server/mail/graph-http.js';

/**
 * The Graph transport's kept-alive sockets. A server closes a socket it has kept idle for its own
 * keep-alive timeout; a request sent on that socket at the same moment is reset. The mail-sync
 * bench met it between two delta pages while a long page was stored.
 */
describe('Graph transport on kept-alive sockets', () => {
  let server: Server;
  let base = '';
  const seen = new Map<Socket, number>();
  beforeAll(async () => {
    // The second request on any socket is reset without an answer, as a server closing an idle socket does.
    server = createServer((req, res) => {
      const n = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, n);
      if (n === 2) {
        req.socket.destroy();
        return;
      }
      res.end(JSON.stringify({ method: req.method, n }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = { timeoutMs: 5_000, maxBytes: 1_000_000 };

  it('sends a GET again on a new socket when its reused socket was reset', async () => {
    expect(JSON.parse((await send(`${base}/a`, { method: 'GET' }, options)).text)).toEqual({ method: 'GET', n: 1 });
    // The kept-alive socket is reused and reset; the GET goes again on a fresh one.
    expect(JSON.parse((await send(`${base}/b`, { method: 'GET' }, options)).text)).toEqual({ method: 'GET', n: 1 });
  });

  it('does not send a POST twice', async () => {
    await send(`${base}/c`, { method: 'GET' }, options); // a fresh socket, kept alive
    await expect(send(`${base}/d`, { method: 'POST', body: '{}' }, options)).rejects.toThrow(/could not reach 127\.0\.0\.1:\d+: ECONNRESET/);
  });
});
