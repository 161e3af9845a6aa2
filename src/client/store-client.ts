import type { PublishedPack } from '../core/pack/schema.js';

export type { PublishedPack };

/**
 * The one typed client the faces use to reach the store. It knows the API's paths and shapes
 * and nothing about Office.js or Gmail; the caller supplies the base URL and a token source.
 */

export class StoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StoreClientOptions {
  baseUrl: string;
  token: () => Promise<string> | string;
  fetch?: typeof fetch;
}

export class StoreClient {
  private etag: string | undefined;
  private cachedPacks: PublishedPack[] | undefined;

  constructor(private readonly options: StoreClientOptions) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await this.options.token()}`);
    const response = await doFetch(`${this.options.baseUrl.replace(/\/$/, '')}/api/v1${path}`, { ...init, headers });
    if (!response.ok && response.status !== 304) {
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new StoreError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? `the store answered ${response.status}`);
    }
    return response;
  }

  /** The packs published to me; revalidated with If-None-Match so an unchanged list costs a 304. */
  async myPacks(): Promise<PublishedPack[]> {
    const response = await this.request('/me/packs', this.etag ? { headers: { 'if-none-match': this.etag } } : {});
    if (response.status === 304 && this.cachedPacks) return this.cachedPacks;
    const body = (await response.json()) as { packs: PublishedPack[] };
    this.etag = response.headers.get('etag') ?? undefined;
    this.cachedPacks = body.packs;
    return body.packs;
  }
}
