/**
 * Reading the address and Message-ID headers of a mail (RFC 5322), the same way for every mailbox
 * provider: pure string work, no I/O. Encoded words (RFC 2047) are decoded by the caller first
 * (providers such as Gmail already hand them out decoded).
 */

export interface HeaderAddress {
  /** Lower-cased. */
  address: string;
  name?: string;
}

const ADDRESS = /^[^\s@<>",;:()]+@[^\s@<>",;:()]+$/;

/** Splits on commas that are outside quotes, angle brackets and comments. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '<') angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === '(') comment++;
    else if (c === ')' && comment > 0) comment--;
    else if ((c === ',' || c === ';') && angle === 0 && comment === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

function unquote(name: string): string {
  let n = name.trim();
  if (n.length >= 2 && n.startsWith('"') && n.endsWith('"')) n = n.slice(1, -1).replace(/\\(.)/g, '$1');
  return n.replace(/\s+/g, ' ').trim();
}

/**
 * `"Li, Wei" <Li.Wei@Buyer.example>, bob@x.com (Bob)` → [{address: 'li.wei@buyer.example', name:
 * 'Li, Wei'}, {address: 'bob@x.com', name: 'Bob'}]. Group syntax (`Team: a@x, b@y;`) yields its
 * members. Entries without a usable address are dropped; a name equal to the address is no name.
 */
export function parseAddressList(value: string | null | undefined): HeaderAddress[] {
  if (!value) return [];
  const out: HeaderAddress[] = [];
  for (let entry of splitList(value.replace(/\r?\n[ \t]+/g, ' '))) {
    // A group's display name ("Team:") is not an address.
    const group = /^[^"<>@]*:\s*(.*)$/.exec(entry);
    if (group) entry = group[1]!.trim();
    if (!entry) continue;
    let address: string | undefined;
    let name: string | undefined;
    const angle = /<\s*([^<>\s]+)\s*>/.exec(entry);
    if (angle) {
      address = angle[1];
      name = unquote(entry.slice(0, angle.index) + entry.slice(angle.index + angle[0].length));
    } else {
      const comment = /\(([^()]*)\)/.exec(entry);
      address = entry.replace(/\([^()]*\)/g, '').trim();
      name = comment ? unquote(comment[1]!) : undefined;
    }
    if (!address || !ADDRESS.test(address)) continue;
    const lower = address.toLowerCase();
    out.push(name && name.toLowerCase() !== lower ? { address: lower, name } : { address: lower });
  }
  return out;
}

/** The Message-IDs in a References / In-Reply-To value, angle brackets kept, in order. */
export function messageIdList(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  return ids ?? value.split(/\s+/).filter((s) => s.includes('@'));
}
