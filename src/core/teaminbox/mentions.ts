/**
 * @mentions in an internal note: `@linda` (the part of a colleague's address before the @) or
 * `@linda@acme.com`. Returns the colleagues' ids, each once; unknown handles are not mentions.
 */
export function mentionsIn(note: string, people: ReadonlyArray<{ id: string; email: string }>): string[] {
  const byHandle = new Map<string, string>();
  for (const p of people) {
    const email = p.email.toLowerCase();
    byHandle.set(email, p.id);
    const local = email.split('@')[0]!;
    // Two colleagues sharing a local part (linda@a, linda@b) must be named in full.
    byHandle.set(local, byHandle.has(local) && byHandle.get(local) !== p.id ? '' : p.id);
  }
  const found: string[] = [];
  for (const m of note.matchAll(/(?<![\p{L}\p{N}._%+-])@([\p{L}\p{N}._%+-]+(?:@[\p{L}\p{N}.-]+\.[\p{L}]{2,})?)/gu)) {
    const id = byHandle.get(m[1]!.toLowerCase().replace(/[.]+$/, ''));
    if (id && !found.includes(id)) found.push(id);
  }
  return found;
}
