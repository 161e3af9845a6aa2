import { ApiError } from '../client/api-error.js';

/**
 * The console's one door to the store: JSON over fetch with the signed-in admin's bearer token.
 * Views name what they expect with the contract's types (src/contract, types only); a refusal is
 * the clients' one ApiError, built from the contract's ErrorResponse, so views can show it field
 * by field.
 */

export type TokenSource = () => Promise<string>;

export class AdminApi {
  constructor(
    private readonly token: TokenSource,
    private readonly onUnauthorized: () => void,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    const data = isJson && text ? (JSON.parse(text) as unknown) : text;
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw ApiError.of(response.status, data, response.statusText);
    }
    return data as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

/** Query string from the set values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string | number][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
