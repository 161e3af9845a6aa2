/**
 * Reading `Name <address>` (RFC 5322 mailbox) and what the CRM learns from it: a display name
 * for the contact, and a readable company name for a business domain. Pure, so the store and
 * both faces read a From: header the same way.
 */

export interface Mailbox {
  address: string;
  /** the display name, unquoted; null when there is none or it says nothing (the address again) */
  name: string | null;
}

const NAME_MAX = 100;
// control characters (NUL included) and the bidi overrides that can disguise a name
const UNSAFE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** `"Müller, Hans" <hans@x.de>`, `Hans Müller <hans@x.de>`, `hans@x.de` → address and name; null when no address is in it. */
export function parseMailbox(text: string): Mailbox | null {
  if (typeof text !== 'string') return null;
  const angle = /^(.*)<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$/s.exec(text.trim());
  const address = (angle ? angle[2]! : text.trim()).toLowerCase();
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address)) return null;
  return { address, name: angle ? cleanDisplayName(angle[1]!, address) : null };
}

/** A display name worth keeping: unquoted, unescaped, no control characters, not an address, at most 100 characters. */
export function cleanDisplayName(raw: string, address?: string): string | null {
  let name = raw.replace(UNSAFE, '').trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1').trim();
  name = name.replace(/\s+/g, ' ');
  if (!name || name.includes('@') || /[<>]/.test(name) || name.toLowerCase() === address) return null;
  // an encoded word nobody decoded (=?utf-8?…?=) is not a name
  if (/=\?[^?]+\?[bq]\?/i.test(name)) return null;
  return name.length > NAME_MAX ? name.slice(0, NAME_MAX).trim() : name;
}

/**
 * First and last name from a display name, as a rep would file it: "Müller, Hans" → Hans /
 * Müller; "Hans Müller" → Hans / Müller; "Maria de la Cruz" → Maria / de la Cruz is not
 * guessable, so everything but the last word is the first name; a single word, or a name in a
 * script without spaces (王伟), is kept whole as the first name.
 */
export function splitDisplayName(name: string): { firstName: string; lastName: string | null } {
  const comma = /^([^,]+),\s*(.+)$/.exec(name);
  if (comma) return { firstName: comma[2]!.trim(), lastName: comma[1]!.trim() };
  const words = name.trim().split(' ');
  if (words.length < 2) return { firstName: name.trim(), lastName: null };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1]! };
}

/** "alfanar-trading.sa" → "Alfanar Trading", "mittelstand.de" → "Mittelstand": the name a new company starts with (the rep can rename it). */
export function companyNameOfDomain(domain: string, suffix: string): string {
  const label = domain.slice(0, domain.length - suffix.length).split('.').pop() ?? domain;
  const words = label.split(/[-_]+/).filter(Boolean);
  return words.length ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') : domain;
}
