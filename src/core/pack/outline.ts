/**
 * The summary of a pack the admin console lists beside the editor: what the store's draft check
 * answers and the console reads, in one place.
 */
export interface PackOutline {
  pack: string;
  title: string;
  groups: string[];
  defaultLanguage: string;
  templates: { id: string; kind: string; title: string; languages: string[]; fields: { name: string; type: string; required: boolean; label: string }[]; locked: boolean }[];
  signatures: { id: string; title: string; enforce: boolean }[];
}
