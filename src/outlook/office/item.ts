/// <reference types="office-js" />
import { officeCall } from './async.js';
import { OfficeError, OfficeUnavailableError } from './errors.js';
import { isSetSupported, mailbox } from './host.js';

/**
 * The open mail item: compose or read, message or appointment. Every Office callback API is a
 * promise here; every failure is an OfficeError with Office's code.
 *
 * Office's enums are written as their string values ('html', 'message', …) so a stand-in without
 * the enum objects (office-addin-mock, the playground) behaves like Outlook.
 */

export type ItemMode = 'compose' | 'read';
export type ItemKind = 'message' | 'appointment';
export type BodyType = 'html' | 'text';
export type RecipientField = 'to' | 'cc' | 'bcc';

export interface MailAddress {
  name: string;
  address: string;
}

type AnyItem = Office.MessageCompose | Office.MessageRead | Office.AppointmentCompose | Office.AppointmentRead;
type ComposeItem = Office.MessageCompose | Office.AppointmentCompose;

export const MAX_SUBJECT_LENGTH = 255;
export const MAX_SIGNATURE_LENGTH = 30_000;
export const MAX_INSERT_LENGTH = 1_000_000;

/** The open item, or null (a pinned task pane with nothing selected). */
export function currentItem(): AnyItem | null {
  return (mailbox().item as AnyItem | null | undefined) ?? null;
}

function requireItem(): AnyItem {
  const item = currentItem();
  if (!item) throw new OfficeUnavailableError('No mail item is open');
  return item;
}

/** Compose items expose `subject` as an object with getAsync; read items as a string. */
function isComposeItem(item: AnyItem): item is ComposeItem {
  const subject = (item as { subject?: unknown }).subject;
  return typeof subject === 'object' && subject !== null && typeof (subject as { getAsync?: unknown }).getAsync === 'function';
}

function requireCompose(): ComposeItem {
  const item = requireItem();
  if (!isComposeItem(item)) throw new OfficeUnavailableError('This needs a message being written (compose mode)');
  return item;
}

function requireRead(): Office.MessageRead | Office.AppointmentRead {
  const item = requireItem();
  if (isComposeItem(item)) throw new OfficeUnavailableError('This needs a received message (read mode)');
  return item as Office.MessageRead | Office.AppointmentRead;
}

export interface ItemInfo {
  mode: ItemMode;
  kind: ItemKind;
}

/** Compose or read, message or appointment; null when no item is open. */
export function itemInfo(): ItemInfo | null {
  const item = currentItem();
  if (!item) return null;
  return { mode: isComposeItem(item) ? 'compose' : 'read', kind: String(item.itemType) === 'appointment' ? 'appointment' : 'message' };
}

// ---------- body ----------

export async function getBodyType(): Promise<BodyType> {
  const body = requireCompose().body;
  return officeCall<Office.CoercionType>((cb) => body.getTypeAsync(cb)).then((t) => (String(t) === 'text' ? 'text' : 'html'));
}

/** The whole body as HTML or plain text (both modes). */
export async function getBody(type: BodyType = 'html'): Promise<string> {
  const body = requireItem().body;
  return officeCall<string>((cb) => body.getAsync(type as Office.CoercionType, cb));
}

/** Replaces the whole body (compose). */
export async function setBody(content: string, type: BodyType = 'html'): Promise<void> {
  const body = requireCompose().body;
  return officeCall<void>((cb) => body.setAsync(content, { coercionType: type as Office.CoercionType }, cb));
}

export interface InsertContent {
  html: string;
  /** What a plain-text body gets; derived from `html` when absent. */
  text?: string;
}

/**
 * Inserts at the cursor (replacing a selection), matching the body's format as Office asks:
 * HTML into an HTML body, text into a plain-text one. Resolves with the format used.
 */
export async function insertAtCursor(content: InsertContent): Promise<BodyType> {
  const body = requireCompose().body;
  const type = await getBodyType();
  // The plain-text fallback decodes character references with the whole HTML table (entities):
  // loaded only when a plain-text body needs it, so it stays out of the task pane's first paint.
  const data = type === 'html' ? content.html : (content.text ?? (await import(/* webpackChunkName: "plain-text" */ './plain-text.js')).htmlToPlainText(content.html));
  if (data.length > MAX_INSERT_LENGTH) throw new RangeError(`Inserted content is ${data.length} characters; Outlook accepts at most ${MAX_INSERT_LENGTH}`);
  await officeCall<void>((cb) => body.setSelectedDataAsync(data, { coercionType: type as Office.CoercionType }, cb));
  return type;
}

// ---------- subject ----------

export async function getSubject(): Promise<string> {
  const item = requireItem();
  if (isComposeItem(item)) return officeCall<string>((cb) => item.subject.getAsync(cb));
  return Promise.resolve(String((item as Office.MessageRead).subject ?? ''));
}

export async function setSubject(subject: string): Promise<void> {
  const item = requireCompose();
  if (subject.length > MAX_SUBJECT_LENGTH) return Promise.reject(new RangeError(`Subject is ${subject.length} characters; Outlook accepts at most ${MAX_SUBJECT_LENGTH}`));
  return officeCall<void>((cb) => item.subject.setAsync(subject, cb));
}

/** Attaches a file given as base64 (Mailbox 1.8) to the message being written; resolves to the attachment's id. */
export async function addAttachmentFromBase64(base64: string, name: string): Promise<string> {
  const item = requireCompose();
  if (!isSetSupported('Mailbox', '1.8')) throw new OfficeError('NotSupported', 'Attaching a file needs Outlook with Mailbox 1.8 or later', 'NotSupported');
  return officeCall<string>((cb) => item.addFileAttachmentFromBase64Async(base64, name, cb));
}

// ---------- people ----------

function toAddress(d: Office.EmailAddressDetails | Office.EmailUser | null | undefined): MailAddress | null {
  if (!d || !d.emailAddress) return null;
  return { name: d.displayName ?? '', address: d.emailAddress };
}

function toAddresses(list: Office.EmailAddressDetails[] | null | undefined): MailAddress[] {
  return (list ?? []).map(toAddress).filter((a): a is MailAddress => a !== null);
}

/** To / Cc / Bcc (Bcc only while composing). Appointments answer with required/optional attendees. */
export async function getRecipients(field: RecipientField): Promise<MailAddress[]> {
  const item = requireItem();
  const appointmentField = field === 'to' ? 'requiredAttendees' : field === 'cc' ? 'optionalAttendees' : null;
  const source = (item as unknown as Record<string, unknown>)[field] ?? (appointmentField ? (item as unknown as Record<string, unknown>)[appointmentField] : undefined);
  if (source === undefined || source === null) return Promise.resolve([]);
  if (Array.isArray(source)) return Promise.resolve(toAddresses(source as Office.EmailAddressDetails[]));
  const recipients = source as Office.Recipients;
  return officeCall<Office.EmailAddressDetails[]>((cb) => recipients.getAsync(cb)).then(toAddresses);
}

/** The sending account: compose From (Mailbox 1.7), or the read item's From. */
export async function getFrom(): Promise<MailAddress | null> {
  const item = requireItem();
  const from = (item as { from?: unknown }).from;
  if (!from) return Promise.resolve(null);
  if (typeof (from as Office.From).getAsync === 'function') return officeCall<Office.EmailAddressDetails>((cb) => (from as Office.From).getAsync(cb)).then(toAddress);
  return Promise.resolve(toAddress(from as Office.EmailAddressDetails));
}

// ---------- delayed delivery (Mailbox 1.13) ----------

/** Whether this client can schedule the open message (Mailbox 1.13, compose, a message). */
export function supportsDelayDelivery(): boolean {
  const item = currentItem();
  return Boolean(item && isComposeItem(item) && isSetSupported('Mailbox', '1.13') && (item as Office.MessageCompose).delayDeliveryTime);
}

function requireDelayDelivery(): Office.DelayDeliveryTime {
  const item = requireCompose() as Office.MessageCompose;
  if (!isSetSupported('Mailbox', '1.13') || !item.delayDeliveryTime) throw new OfficeUnavailableError('This Outlook cannot schedule sending (Mailbox 1.13 is needed)');
  return item.delayDeliveryTime;
}

/** The scheduled delivery time, or null when the message goes out on Send. */
export async function getDelayDelivery(): Promise<Date | null> {
  const delay = requireDelayDelivery();
  return officeCall<Date | 0>((cb) => delay.getAsync(cb)).then((v) => (v instanceof Date ? v : v ? new Date(v as unknown as string) : null));
}

export async function setDelayDelivery(when: Date): Promise<void> {
  const delay = requireDelayDelivery();
  if (Number.isNaN(when.getTime())) return Promise.reject(new RangeError('Delivery time is not a valid date'));
  return officeCall<void>((cb) => delay.setAsync(when, cb));
}

// ---------- signature ----------

/** Adds or replaces the signature block Outlook manages (Mailbox 1.10, messages). */
export async function setSignature(html: string): Promise<void> {
  const body = requireCompose().body;
  if (html.length > MAX_SIGNATURE_LENGTH) return Promise.reject(new RangeError(`Signature is ${html.length} characters; Outlook accepts at most ${MAX_SIGNATURE_LENGTH}`));
  return officeCall<void>((cb) => body.setSignatureAsync(html, { coercionType: 'html' as Office.CoercionType }, cb));
}

export async function isClientSignatureEnabled(): Promise<boolean> {
  const item = requireCompose();
  return officeCall<boolean>((cb) => item.isClientSignatureEnabledAsync(cb));
}

/** Turns off Outlook's own signature for this item so it does not stack on ours. */
export async function disableClientSignature(): Promise<void> {
  const item = requireCompose();
  return officeCall<void>((cb) => item.disableClientSignatureAsync(cb));
}

// ---------- read mode ----------

export interface ReadFields {
  internetMessageId: string;
  conversationId: string;
  dateTimeCreated: Date | null;
  subject: string;
  from: MailAddress | null;
  sender: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
}

/** The received message's identity and participants, as the CRM log and client time need them. */
export function readFields(): ReadFields {
  const item = requireRead() as Office.MessageRead;
  const created = item.dateTimeCreated ? new Date(item.dateTimeCreated) : null;
  return {
    internetMessageId: item.internetMessageId ?? '',
    conversationId: item.conversationId ?? '',
    dateTimeCreated: created && !Number.isNaN(created.getTime()) ? created : null,
    subject: String(item.subject ?? ''),
    from: toAddress(item.from),
    sender: toAddress(item.sender),
    to: toAddresses(item.to),
    cc: toAddresses(item.cc),
  };
}

/** The raw internet headers of a received message (Mailbox 1.8). */
export async function getInternetHeaders(): Promise<string> {
  const item = requireRead() as Office.MessageRead;
  if (typeof item.getAllInternetHeadersAsync !== 'function') return Promise.reject(new OfficeUnavailableError('This Outlook cannot read internet headers (Mailbox 1.8 is needed)'));
  return officeCall<string>((cb) => item.getAllInternetHeadersAsync(cb));
}

/** One header's value from raw headers (folded lines unfolded), or null. */
export function headerValue(rawHeaders: string, name: string): string | null {
  const unfolded = rawHeaders.replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase() + ':';
  for (const line of unfolded.split(/\r?\n/)) {
    if (line.toLowerCase().startsWith(wanted)) return line.slice(wanted.length).trim();
  }
  return null;
}

/** The sender's `Date:` header (it carries their UTC offset), or null when unavailable. */
export async function getDateHeader(): Promise<string | null> {
  try {
    return headerValue(await getInternetHeaders(), 'Date');
  } catch {
    return null;
  }
}

// ---------- shared folders and shared mailboxes ----------

export interface SharedItemProperties {
  /** The shared mailbox's (or the delegating owner's) address, e.g. info@acme.com. */
  owner: string;
  targetMailbox: string | null;
}

/**
 * Whose mailbox the open item is in, when it is a shared folder or shared mailbox
 * (`getSharedPropertiesAsync`, Mailbox 1.8/1.13). Null when the item is the rep's own, and also
 * where the client cannot tell: new Outlook lacks the call (office-js#4619) and it answers nothing
 * for a shared mailbox added as its own account (#5682). The store, not this, decides whether the
 * item belongs to a team inbox; this only names the mailbox in the pane.
 */
export async function getSharedProperties(): Promise<SharedItemProperties | null> {
  const item = currentItem() as (AnyItem & { getSharedPropertiesAsync?: (cb: (r: Office.AsyncResult<Office.SharedProperties>) => void) => void }) | null;
  if (!item || typeof item.getSharedPropertiesAsync !== 'function' || !isSetSupported('Mailbox', '1.8')) return null;
  try {
    const props = await officeCall<Office.SharedProperties>((cb) => item.getSharedPropertiesAsync!(cb));
    return props?.owner ? { owner: String(props.owner), targetMailbox: props.targetMailbox ? String(props.targetMailbox) : null } : null;
  } catch {
    return null; // not shared, or the client failed: the store's lookup still finds the conversation
  }
}
