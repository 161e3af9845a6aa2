import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * The one HTTP transport under the Graph adapter (graph.ts), for msal-node's token requests (as
 * its `system.networkClient`) and for the Graph client's calls (as the last middleware of its
 * chain). Why not their own fetch: msal-node's built-in client sets no timeout on token POSTs, so a
 * hung sign-in endpoint would hold a sync worker past its lease; and global fetch cannot be told
 * to trust an extra CA (a company's TLS-inspecting proxy, the tests' stand-in). Every request has
 * a timeout and a size cap; nothing here retries (the sync engine owns waiting).
 */

export interface TransportOptions {
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust besides the system's. */
  ca?: string | undefined;
  /** Largest response body accepted. */
  maxBytes: number;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** The request never got an HTTP answer: DNS, TCP, TLS, timeout. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

/**
 * Kept-alive connections per CA: a TLS handshake per request would cost more than the request
 * (one sync page is one request; attachments add one per message). Idle sockets close after 30 s.
 */
const agents = new Map<string, { http: HttpAgent; https: HttpsAgent }>();

function agentsFor(ca: string | undefined): { http: HttpAgent; https: HttpsAgent } {
  const key = ca ? createHash('sha256').update(ca).digest('hex') : '';
  let pair = agents.get(key);
  if (!pair) {
    const common = { keepAlive: true, maxSockets: 16, maxFreeSockets: 4, timeout: 30_000 };
    pair = { http: new HttpAgent(common), https: new HttpsAgent({ ...common, ...(ca ? { ca } : {}) }) };
    agents.set(key, pair);
  }
  return pair;
}

export function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string | undefined }, options: TransportOptions, retried = false): Promise<TransportResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null;
  if (!request) return Promise.reject(new TransportError(`not an http(s) URL: ${target.protocol}`));
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const req = request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: options.timeoutMs,
        agent: target.protocol === 'https:' ? agentsFor(options.ca).https : agentsFor(options.ca).http,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            req.destroy(new TransportError(`${target.host} answered more than ${options.maxBytes} bytes; lower the page size`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => reject(error instanceof TransportError ? error : new TransportError(`${target.host}: ${error.message}`)));
      },
    );
    // The whole exchange, not only idle time, must end within the timeout.
    const timer = setTimeout(() => req.destroy(new TransportError(`${target.host} did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('timeout', () => req.destroy(new TransportError(`${target.host} did not answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) => {
      // A kept-alive socket the server closed while it sat idle (its keep-alive timeout is shorter
      // than ours, e.g. while a long page was being stored): a GET goes again once on a new socket.
      if (!retried && req.reusedSocket && init.method === 'GET' && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        send(url, init, options, true).then(resolve, reject);
        return;
      }
      reject(error instanceof TransportError ? error : new TransportError(`could not reach ${target.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

/** msal-node's network client over `send`. */
export function msalNetworkClient(options: TransportOptions): INetworkModule {
  const exchange = async <T>(method: string, url: string, init: NetworkRequestOptions | undefined, timeoutMs?: number): Promise<NetworkResponse<T>> => {
    const res = await send(url, { method, headers: init?.headers ?? {}, body: method === 'POST' ? (init?.body ?? '') : undefined }, timeoutMs ? { ...options, timeoutMs: Math.min(timeoutMs, options.timeoutMs) } : options);
    let body: T;
    try {
      body = JSON.parse(res.text) as T;
    } catch {
      throw new TransportError(`${new URL(url).host} answered HTTP ${res.status} that is not JSON: ${res.text.replace(/\s+/g, ' ').slice(0, 120)}`);
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    sendGetRequestAsync: <T>(url: string, init?: NetworkRequestOptions, timeout?: number) => exchange<T>('GET', url, init, timeout),
    sendPostRequestAsync: <T>(url: string, init?: NetworkRequestOptions) => exchange<T>('POST', url, init),
  };
}

function headersOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  if (typeof (value as Headers).forEach === 'function' && typeof (value as Headers).get === 'function') {
    (value as Headers).forEach((v, k) => (out[k] = v));
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** The Graph client's last middleware: carries the request out with `send` instead of global fetch. */
export function graphTransportMiddleware(options: TransportOptions): Middleware {
  return {
    async execute(context: Context): Promise<void> {
      const req = context.request;
      const url = typeof req === 'string' ? req : req.url;
      const init = context.options ?? {};
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : String(init.body);
      const res = await send(url, { method: (init.method ?? 'GET').toUpperCase(), headers: headersOf(init.headers), body }, options);
      // A Response may not carry a body for these statuses.
      const empty = res.status === 204 || res.status === 205 || res.status === 304;
      context.response = new Response(empty ? null : res.text, { status: res.status, headers: res.headers });
    },
  };
}
