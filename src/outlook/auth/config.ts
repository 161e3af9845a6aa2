/**
 * What the build tells the add-in about where it runs (webpack's DefinePlugin writes
 * `__TRADEPANE_ADDIN__` from ADDIN_BASE_URL, ADDIN_CLIENT_ID, ADDIN_API_SCOPE and the mode). Tests
 * and the playground may set `globalThis.__TRADEPANE_ADDIN__` instead.
 */
export interface AddinConfig {
  /** The store's origin; the event runtime's fetch needs absolute URLs. */
  storeUrl: string;
  /** Dev build: tokens come from the store's /dev/token (loopback only, refused in production). */
  dev: boolean;
  /** The add-in's Entra ID application (client) id; null disables Microsoft sign-in. */
  clientId: string | null;
  /** The scope the store's token must carry, e.g. api://tradepane.example.com/<client id>/access_as_user. */
  apiScope: string | null;
}

declare const __TRADEPANE_ADDIN__: AddinConfig | undefined;

export function addinConfig(): AddinConfig {
  const built = typeof __TRADEPANE_ADDIN__ === 'object' && __TRADEPANE_ADDIN__ ? __TRADEPANE_ADDIN__ : undefined;
  const injected = (globalThis as { __TRADEPANE_ADDIN__?: AddinConfig }).__TRADEPANE_ADDIN__;
  const config = injected ?? built;
  if (config) return config;
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return { storeUrl: origin && origin !== 'null' ? origin : 'http://localhost:3000', dev: true, clientId: null, apiScope: null };
}
