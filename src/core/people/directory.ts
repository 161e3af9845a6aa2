/**
 * Directory sync, the rule: which profile fields a directory (Microsoft Entra ID) may set on a
 * person, and what a run would change. Pure: the store reads the directory and the people, this
 * decides, the store applies.
 *
 * - People are matched by e-mail address (the directory's `mail`, else its user principal name),
 *   case-insensitively. Directory users without a person here are not added (people are added by
 *   an admin), and people missing from the directory are left alone: both are reported.
 * - A field the admin pinned is never overwritten; the directory's differing value is reported.
 * - A blank in the directory never erases a value here (a directory that lacks phones must not
 *   wipe the ones an admin typed).
 */

export const DIRECTORY_FIELDS = ['name', 'title', 'department', 'phone', 'mobile'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

export const isDirectoryField = (value: string): value is DirectoryField => (DIRECTORY_FIELDS as readonly string[]).includes(value);

export interface DirectoryEntry {
  email: string;
  fields: Partial<Record<DirectoryField, string | null>>;
  enabled: boolean;
}

export interface DirectoryPerson {
  id: string;
  email: string;
  fields: Record<DirectoryField, string | null>;
  pinned: readonly string[];
}

export interface FieldChange {
  field: DirectoryField;
  from: string | null;
  to: string;
}

export interface PersonPlan {
  email: string;
  userId: string;
  /** update: at least one field changes; unchanged: nothing to do; missing: not in the directory. */
  action: 'update' | 'unchanged' | 'missing';
  changes: FieldChange[];
  /** Pinned fields whose directory value differs: kept as the admin set them. */
  kept: FieldChange[];
}

export interface DirectoryPlan {
  people: PersonPlan[];
  /** Directory users with no person here (not added). */
  notHere: string[];
  counts: { update: number; unchanged: number; missing: number; notHere: number };
}

const clean = (value: string | null | undefined): string | null => {
  const v = (value ?? '').replace(/\s+/g, ' ').trim();
  return v === '' ? null : v;
};

export function planDirectorySync(people: readonly DirectoryPerson[], directory: readonly DirectoryEntry[]): DirectoryPlan {
  const byEmail = new Map<string, DirectoryEntry>();
  for (const entry of directory) byEmail.set(entry.email.trim().toLowerCase(), entry);
  const here = new Set(people.map((p) => p.email.toLowerCase()));
  const plans: PersonPlan[] = people.map((person) => {
    const entry = byEmail.get(person.email.toLowerCase());
    if (!entry) return { email: person.email, userId: person.id, action: 'missing', changes: [], kept: [] };
    const changes: FieldChange[] = [];
    const kept: FieldChange[] = [];
    for (const field of DIRECTORY_FIELDS) {
      const to = clean(entry.fields[field]);
      const from = person.fields[field];
      if (to === null || to === from) continue;
      (person.pinned.includes(field) ? kept : changes).push({ field, from, to });
    }
    return { email: person.email, userId: person.id, action: changes.length ? 'update' : 'unchanged', changes, kept };
  });
  const notHere = [...byEmail.keys()].filter((email) => !here.has(email)).sort();
  return {
    people: plans,
    notHere,
    counts: {
      update: plans.filter((p) => p.action === 'update').length,
      unchanged: plans.filter((p) => p.action === 'unchanged').length,
      missing: plans.filter((p) => p.action === 'missing').length,
      notHere: notHere.length,
    },
  };
}
