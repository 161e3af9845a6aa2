/**
 * The event object Google posts to every add-on endpoint (HTTP runtime), as far as this add-on
 * reads it. See docs/gmail.md for what each trigger carries; notably a compose trigger with
 * `draftAccess: METADATA` carries the draft's recipients but never its id, body or subject.
 */

export interface StringInputs {
  stringInputs?: { value?: string[] };
}
export interface DateTimeInputs {
  dateTimeInput?: { msSinceEpoch?: string | number; hasDate?: boolean; hasTime?: boolean };
  dateInput?: { msSinceEpoch?: string | number };
  timeInput?: { hours?: number; minutes?: number };
}
export type FormInput = StringInputs & DateTimeInputs;

export interface AddonEvent {
  commonEventObject?: {
    hostApp?: string;
    platform?: string;
    userLocale?: string;
    timeZone?: { id?: string; offset?: number | string };
    formInputs?: Record<string, FormInput | Record<string, FormInput>>;
    parameters?: Record<string, string>;
  };
  authorizationEventObject?: {
    userOAuthToken?: string;
    userIdToken?: string;
    systemIdToken?: string;
  };
  gmail?: {
    messageId?: string;
    threadId?: string;
    accessToken?: string;
    toRecipients?: string[];
    ccRecipients?: string[];
    bccRecipients?: string[];
  };
}

/** A form input: the documented shape `{stringInputs: …}`, or the older `{"": {stringInputs: …}}` wrapper. */
function inputOf(event: AddonEvent, name: string): FormInput | undefined {
  const raw = event.commonEventObject?.formInputs?.[name] as (FormInput & Record<string, FormInput>) | undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  if (raw.stringInputs || raw.dateTimeInput || raw.dateInput || raw.timeInput) return raw;
  const inner = raw[''];
  return inner && typeof inner === 'object' ? inner : undefined;
}

export function formString(event: AddonEvent, name: string): string | undefined {
  const value = inputOf(event, name)?.stringInputs?.value?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** A date or date-time picker's instant (ms since epoch, UTC). */
export function formInstant(event: AddonEvent, name: string): number | undefined {
  const input = inputOf(event, name);
  const ms = input?.dateTimeInput?.msSinceEpoch ?? input?.dateInput?.msSinceEpoch;
  const n = typeof ms === 'string' ? Number(ms) : ms;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export const parameter = (event: AddonEvent, name: string): string | undefined => {
  const v = event.commonEventObject?.parameters?.[name];
  return typeof v === 'string' ? v : undefined;
};

export const userTimeZone = (event: AddonEvent): string | undefined => {
  const id = event.commonEventObject?.timeZone?.id;
  return typeof id === 'string' && id ? id : undefined;
};

/** The draft's recipients (To first), lower-cased, without duplicates. */
export function draftRecipients(event: AddonEvent): string[] {
  const all = [...(event.gmail?.toRecipients ?? []), ...(event.gmail?.ccRecipients ?? [])];
  return [...new Set(all.filter((a): a is string => typeof a === 'string').map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))];
}
