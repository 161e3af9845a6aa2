import { isMap, isSeq, parseDocument } from 'yaml';
import { BUILTIN_VALUES, BUILTIN_VARIABLES } from '../template/builtins.js';
import { FIELD_TYPES, SIGNATURE_ON_SEND, TEMPLATE_KINDS } from './vocabulary.js';

/**
 * What the pack editor offers at the cursor: inside `{{ … }}` or `{% … %}` the values a template
 * can use (the pack's declared fields and the built-ins), after `type:` the field types, after
 * `kind:` the template kinds. Pure, so the console's editor only adapts it to CodeMirror.
 */

export interface PackCompletion {
  /** Offset where the word being completed starts (it is replaced). */
  from: number;
  options: { label: string; kind: 'field' | 'builtin' | 'type' | 'kind' | 'value' }[];
}

/** Field names every template of the pack declares, read leniently: a half-written pack still offers them. */
export function declaredFieldNames(source: string): string[] {
  const names = new Set<string>();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(source, { prettyErrors: false, uniqueKeys: false });
  } catch {
    return [];
  }
  const templates = isMap(doc.contents) ? doc.contents.get('templates') : undefined;
  if (!isSeq(templates)) return [];
  for (const template of templates.items) {
    const fields = isMap(template) ? template.get('fields') : undefined;
    if (!isSeq(fields)) continue;
    for (const field of fields.items) {
      const name = isMap(field) ? field.get('name') : undefined;
      if (typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(name)) names.add(name);
    }
  }
  return [...names];
}

/** The Liquid tag or output the cursor is in, if any: the last `{{`/`{%` before it with no close after. */
function insideLiquid(text: string, cursor: number): boolean {
  const before = text.slice(Math.max(0, cursor - 2000), cursor);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open === -1) return false;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  return close < open;
}

export function completePack(source: string, cursor: number): PackCompletion | undefined {
  const lineStart = source.lastIndexOf('\n', cursor - 1) + 1;
  const line = source.slice(lineStart, cursor);
  if (insideLiquid(source, cursor)) {
    const word = /[A-Za-z_][A-Za-z0-9_.]*$/.exec(line)?.[0] ?? '';
    // After a filter bar the word is a filter, not a value.
    if (/\|\s*[A-Za-z_]*$/.test(line)) return undefined;
    // The line being typed often leaves the document unparsable (an open quote or brace): the text above it still names the fields.
    const names = new Set([...declaredFieldNames(source.slice(0, lineStart)), ...declaredFieldNames(source)]);
    const fields = [...names].map((label) => ({ label, kind: 'field' as const }));
    const builtins = [
      ...Object.entries(BUILTIN_VARIABLES).flatMap(([group, keys]) => keys.map((k) => ({ label: `${group}.${k}`, kind: 'builtin' as const }))),
      ...BUILTIN_VALUES.map((label) => ({ label, kind: 'builtin' as const })),
    ];
    const options = [...fields, ...builtins].filter((o) => o.label.startsWith(word) && o.label !== word);
    return options.length ? { from: cursor - word.length, options } : undefined;
  }
  const key = /^\s*(?:-\s+)?(?:\{\s*[^}]*,\s*)?(type|kind|signatureOnSend)\s*:\s*([A-Za-z-]*)$/.exec(line) ?? /[{,]\s*(type|kind|signatureOnSend)\s*:\s*([A-Za-z-]*)$/.exec(line);
  if (!key) return undefined;
  const [, name, word = ''] = key;
  const values: readonly string[] = name === 'type' ? FIELD_TYPES : name === 'kind' ? TEMPLATE_KINDS : SIGNATURE_ON_SEND;
  const options = values.filter((v) => v.startsWith(word) && v !== word).map((label) => ({ label, kind: name === 'type' ? ('type' as const) : name === 'kind' ? ('kind' as const) : ('value' as const) }));
  return options.length ? { from: cursor - word.length, options } : undefined;
}
