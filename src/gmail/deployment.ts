import { GMAIL_TRIGGERS } from './routes.js';

/**
 * The Workspace add-on deployment descriptor (HTTP runtime) for `gcloud workspace-add-ons
 * deployments create|replace`, with every URL pointing at this store's /gmail endpoints.
 * The scopes are the smallest set the cards use: run in Gmail, read the open mail's metadata,
 * act on the draft being composed, the user's e-mail, locale and time zone.
 */

export const ADDON_SCOPES = [
  'https://www.googleapis.com/auth/gmail.addons.execute',
  'https://www.googleapis.com/auth/gmail.addons.current.message.metadata',
  'https://www.googleapis.com/auth/gmail.addons.current.action.compose',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/script.locale',
] as const;

export const BASE_URL_PLACEHOLDER = 'https://STORE.EXAMPLE.COM/gmail';

export function deploymentDescriptor(endpointBase: string, options: { name?: string; logoUrl?: string } = {}) {
  let base: URL;
  try {
    base = new URL(endpointBase);
  } catch {
    throw new Error(`--base-url: not a URL: "${endpointBase}"`);
  }
  if (base.protocol !== 'https:') throw new Error(`--base-url: Google calls add-on endpoints over https only, got "${endpointBase}"`);
  const root = base.toString().replace(/\/$/, '');
  const logoUrl = options.logoUrl ?? `${new URL(root).origin}/addin/assets/icon-128.png`;
  return {
    oauthScopes: [...ADDON_SCOPES],
    addOns: {
      common: {
        name: options.name ?? 'tradepane',
        logoUrl,
        useLocaleFromApp: true,
        homepageTrigger: { runFunction: root + GMAIL_TRIGGERS.homepage, enabled: true },
      },
      gmail: {
        contextualTriggers: [{ unconditional: {}, onTriggerFunction: root + GMAIL_TRIGGERS.message }],
        composeTrigger: {
          actions: [{ runFunction: root + GMAIL_TRIGGERS.compose, label: 'tradepane', logoUrl }],
          draftAccess: 'METADATA',
        },
      },
      httpOptions: { authorizationHeader: 'SYSTEM_ID_TOKEN', granularOauthPermissionSupport: 'OPT_IN' },
    },
  };
}
