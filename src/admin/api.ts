import type { PackOutline } from '../core/pack/outline.js';

/**
 * The console's one door to the store: JSON over fetch with the signed-in admin's bearer token.
 * Errors keep the store's shape ({code, message, details}) so views can show them field by field.
 */

export interface ErrorDetail {
  path: string;
  message: string;
  line?: number;
  column?: number;
  severity?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

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
      const error = (data as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)?.error;
      throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `${response.status} ${response.statusText}`, error?.details ?? []);
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

export interface Me {
  user: { id: string; email: string; name: string; role: 'rep' | 'admin' };
  tenant: { id: string; slug: string; name: string };
  permissions: string[];
  via: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  title: string | null;
  department: string | null;
  role: 'rep' | 'admin';
  groups: string[];
  disabled: boolean;
}

export interface GroupView {
  id: string;
  slug: string;
  name: string;
  members: string[];
}

export interface PackSummary {
  pack: string;
  title: string;
  latestVersion: number;
  publications: { audience: string; version: number; publishedAt: string; publishedBy: string }[];
  updatedAt: string;
}

export interface PackDetail extends PackSummary {
  versions: { version: number; digest: string; pushedBy: string; pushedAt: string }[];
}

export interface DraftCheck {
  ok: boolean;
  format: 'yaml' | 'json';
  issues: ErrorDetail[];
  outline: PackOutline | null;
}

export interface MailboxView {
  id: string;
  provider: 'graph' | 'gmail' | 'imap';
  address: string;
  displayName: string;
  settings: Record<string, unknown>;
  secrets: string[];
  status: 'new' | 'backfilling' | 'live' | 'retrying' | 'error';
  paused: boolean;
  lastError: { code: string; message: string } | null;
  lastSyncedAt: string | null;
  lagSeconds: number | null;
  backfill: { since: string | null; done: number; remaining: number | null };
  nextSyncAt: string;
  createdAt: string;
}
