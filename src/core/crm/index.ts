/**
 * The CRM log's dedupe key, shared by the store and both faces, so a mail logged from Outlook
 * and from Gmail is recognised as the same one (the log's shapes are in src/contract/crm.ts).
 */

/**
 * `<abc@host>` → `abc@host`: the angle brackets are syntax, the id inside is compared as written.
 * Returns null for what is not a Message-ID (empty, spaces, stray brackets, over 998 characters).
 */
export function messageIdKey(raw: string): string | null {
  const id = raw.trim().replace(/^<|>$/g, '').trim();
  return !id || id.length > 998 || /[\s<>]/.test(id) ? null : id;
}

