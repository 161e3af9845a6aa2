/// <reference types="office-js" />
import { officeCall } from './async.js';
import { OfficeUnavailableError } from './errors.js';

/**
 * Office itself: the global, the mailbox, the display language, requirement sets, the client's
 * diagnostics and the pinned pane's ItemChanged event. The rest of the Outlook code reaches
 * Office only through this folder, so tests and the playground can stand in for it.
 */

/** The Office global, or an OfficeUnavailableError when office.js is not loaded. */
export function office(): typeof Office {
  const o = (globalThis as { Office?: typeof Office }).Office;
  if (!o) throw new OfficeUnavailableError('Office.js is not loaded');
  return o;
}

export function hasOffice(): boolean {
  return Boolean((globalThis as { Office?: unknown }).Office);
}

export function mailbox(): Office.Mailbox {
  const m = office().context?.mailbox;
  if (!m) throw new OfficeUnavailableError('Office.context.mailbox is not available (not running in Outlook?)');
  return m;
}

export interface OfficeReadyInfo {
  host: string | null;
  platform: string | null;
}

/** Resolves when office.js has initialised (task pane only: it never runs in the event runtime). */
export function officeReady(): Promise<OfficeReadyInfo> {
  return office()
    .onReady()
    .then((info) => ({ host: info?.host ? String(info.host) : null, platform: info?.platform ? String(info.platform) : null }));
}

/** Office's UI language, e.g. "zh-CN" or "en-US"; "en-US" when the client does not say. */
export function displayLanguage(): string {
  const context = (globalThis as { Office?: typeof Office }).Office?.context;
  return context?.displayLanguage || 'en-US';
}

/** `Office.context.requirements.isSetSupported`, false when Office cannot answer. */
export function isSetSupported(name: string, minVersion?: string): boolean {
  const requirements = (globalThis as { Office?: typeof Office }).Office?.context?.requirements;
  if (!requirements || typeof requirements.isSetSupported !== 'function') return false;
  try {
    return minVersion === undefined ? requirements.isSetSupported(name) : requirements.isSetSupported(name, minVersion);
  } catch {
    return false;
  }
}

export interface OutlookDiagnostics {
  /** "Outlook", "newOutlookWindows", "OutlookWebApp", "OutlookIOS", "OutlookAndroid", "OutlookMac"… */
  hostName: string;
  hostVersion: string;
  /** Only Outlook on the web and new Outlook report a view. */
  owaView: string | null;
}

export function diagnostics(): OutlookDiagnostics {
  const d = mailbox().diagnostics;
  return { hostName: d?.hostName ?? 'unknown', hostVersion: d?.hostVersion ?? 'unknown', owaView: d?.OWAView ? String(d.OWAView) : null };
}

export interface UserProfile {
  displayName: string;
  emailAddress: string;
  timeZone: string | null;
}

/** The signed-in mailbox's owner (the primary account; the compose From may differ). */
export function userProfile(): UserProfile {
  const p = mailbox().userProfile;
  return { displayName: p?.displayName ?? '', emailAddress: p?.emailAddress ?? '', timeZone: p?.timeZone ?? null };
}

/** Office.EventType.ItemChanged's value, for stand-ins that do not define the enum. */
const ITEM_CHANGED = 'olkItemSelectedChanged';

/**
 * Calls `handler` whenever a pinned task pane moves to another item (Mailbox 1.5); the item may
 * then be null (nothing selected). Resolves with a function that removes the handler.
 */
export async function onItemChanged(handler: () => void): Promise<() => Promise<void>> {
  const box = mailbox();
  const type = (office().EventType?.ItemChanged ?? ITEM_CHANGED) as Office.EventType;
  await officeCall<void>((cb) => box.addHandlerAsync(type, handler, cb));
  return () => officeCall<void>((cb) => box.removeHandlerAsync(type, cb));
}

/**
 * Registers a launch-event handler under the name the manifest gives it
 * (`Office.actions.associate`). The event bundle calls this at top level, as classic Windows'
 * JavaScript-only runtime requires.
 */
export function associateHandler(name: string, handler: (event: never) => unknown): void {
  const actions = (globalThis as { Office?: typeof Office }).Office?.actions;
  if (actions && typeof actions.associate === 'function') actions.associate(name, handler as (event: unknown) => unknown);
}

/**
 * Office's own SSO token for the add-in's API (IdentityAPI 1.3), without any prompt: the event
 * runtime cannot show sign-in UI. Its audience is the add-in's Entra app, which the store verifies.
 */
export function officeSsoToken(): Promise<string> {
  const auth = (globalThis as { Office?: typeof Office }).Office?.auth;
  if (!auth || typeof auth.getAccessToken !== 'function') return Promise.reject(new OfficeUnavailableError('Office SSO is not available here'));
  return auth.getAccessToken({ allowSignInPrompt: false, allowConsentPrompt: false, forMSGraphAccess: false });
}
