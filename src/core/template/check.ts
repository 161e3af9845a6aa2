import type { PackDocument, PackField, PackTemplate } from '../pack/schema.js';
import type { PackIssue } from '../pack/validate.js';
import { suggest } from '../text/suggest.js';
import { engineFor, REMOVED_FILTERS, REMOVED_TAGS, type EngineKind } from './engine.js';
import { findUnsafeLinks, SAFE_LINK_SCHEMES, unsafeContextReason } from './html-context.js';
import { prepareTemplate, type FilterUse, type PreparedTemplate, type VariableUse } from './prepare.js';

/**
 * Checks on template content, for pack validation: Liquid syntax, variables that do not exist or
 * are misspelt, fields used but not declared or declared but not used, unknown filters, and
 * values placed where escaping cannot make them safe. Positions are inside the variant's text.
 */

import { BUILTIN_VALUES, BUILTIN_VARIABLES, type BuiltinGroup } from './builtins.js';
export { BUILTIN_VALUES, BUILTIN_VARIABLES, type BuiltinGroup };

/** Names a field cannot have: the built-ins, and words Liquid gives a meaning. */
export const RESERVED_NAMES = [...Object.keys(BUILTIN_VARIABLES), ...BUILTIN_VALUES, 'forloop', 'tablerowloop', 'empty', 'blank', 'nil', 'null', 'true', 'false'];

const BUILTIN_PATHS = [...Object.entries(BUILTIN_VARIABLES).flatMap(([group, keys]) => keys.map((k) => `${group}.${k}`)), ...BUILTIN_VALUES];
const LIST_ACCESS = new Set(['first', 'last']);

/** `['templates', 2, 'variants', 'es']` → `templates[2].variants.es`, as validate.ts writes paths (kept here so validate.ts can import this module without a cycle). */
function formatPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function isBuiltinGroup(name: string): name is BuiltinGroup {
  return Object.prototype.hasOwnProperty.call(BUILTIN_VARIABLES, name);
}

/** Where in the variant's text: kept apart from the message, so the pack file's position can replace it (source.ts). */
function at(use: { line: number; column: number }): PackIssue['inner'] {
  return use.line ? { line: use.line, column: use.column } : undefined;
}

function didYouMean(word: string, known: readonly string[]): string {
  const s = suggest(word, known);
  return s ? ` — did you mean ${s}?` : '';
}

interface PartCheck {
  path: string;
  prepared?: PreparedTemplate;
}

export function checkTemplate(template: PackTemplate, index: number, pack: Pick<PackDocument, 'defaultLanguage'>): PackIssue[] {
  const issues: PackIssue[] = [];
  const base: (string | number)[] = ['templates', index];
  const issue = (path: (string | number)[] | string, message: string, severity: PackIssue['severity'] = 'error', inner?: PackIssue['inner']) => {
    const p = typeof path === 'string' ? path : formatPath(path);
    if (!issues.some((i) => i.path === p && i.message === message && i.inner?.line === inner?.line && i.inner?.column === inner?.column)) issues.push({ path: p, message, severity, ...(inner ? { inner } : {}) });
  };

  const fields = new Map<string, PackField>();
  (template.fields ?? []).forEach((field, j) => {
    if (!fields.has(field.name)) fields.set(field.name, field);
    if (RESERVED_NAMES.includes(field.name)) {
      issue([...base, 'fields', j, 'name'], `"${field.name}" is a built-in name; give the field another name`);
    }
  });
  const fieldNames = [...fields.keys()];
  const knownFilters = Object.keys(engineFor('html').filters);

  /** Field names each variant uses, for the unused-field checks. */
  const usedBy = new Map<string, Set<string>>();

  const checkVariable = (use: VariableUse, path: string, used: Set<string>) => {
    const [, second, third] = use.segments ?? [];
    if (use.scope === 'loop') {
      // A row of a lines field: its second segment is a column.
      const collection = use.loop?.collection;
      const field = collection?.scope === 'global' && collection.segments?.length === 1 ? fields.get(collection.root) : undefined;
      if (field?.type === 'lines' && typeof second === 'string') {
        const columns = (field.columns ?? []).map((c) => c.name);
        if (!columns.includes(second)) {
          const close = suggest(second, columns);
          const hint = close ? ` — did you mean ${use.root}.${close}?` : `; ${field.name} has the columns ${columns.join(', ')}`;
          issue(path, `unknown column ${use.root}.${second}${hint}`, 'error', at(use));
        }
      }
      return;
    }
    if (use.scope === 'local') return;
    const root = use.root;
    if (isBuiltinGroup(root)) {
      const keys: readonly string[] = BUILTIN_VARIABLES[root];
      if (second === undefined) {
        issue(path, `${root} is a group of values; use one of them: ${keys.map((k) => `${root}.${k}`).join(', ')}`, 'error', at(use));
      } else if (typeof second === 'string' && !keys.includes(second)) {
        const full = `${root}.${second}`;
        // Compare the key alone: the shared "customer." would make any key look close.
        const close = suggest(second, keys);
        const hint = close ? ` — did you mean ${root}.${close}?` : `; ${root} has ${keys.join(', ')}`;
        issue(path, `unknown variable ${full}${hint}`, 'error', at(use));
      }
      return;
    }
    if ((BUILTIN_VALUES as readonly string[]).includes(root)) return;
    const field = fields.get(root);
    if (field) {
      used.add(root);
      if (field.type === 'money' && typeof second === 'string' && second !== 'amount' && second !== 'currency') {
        const close = suggest(second, ['amount', 'currency']);
        issue(path, `unknown variable ${root}.${second}${close ? ` — did you mean ${root}.${close}?` : `; a money field has ${root}.amount and ${root}.currency`}`, 'error', at(use));
      }
      if (field.type === 'lines' && (typeof second === 'number' || (typeof second === 'string' && LIST_ACCESS.has(second))) && typeof third === 'string') {
        const columns = (field.columns ?? []).map((c) => c.name);
        const hint = suggest(third, columns);
        const corrected = use.segments?.length === 3 && hint ? use.path.slice(0, -third.length) + hint : undefined;
        if (!columns.includes(third)) {
          issue(path, `unknown column ${use.path}${corrected ? ` — did you mean ${corrected}?` : `; ${root} has the columns ${columns.join(', ')}`}`, 'error', at(use));
        }
      }
      return;
    }
    const rootHint = suggest(root, [...fieldNames, ...BUILTIN_VALUES, ...Object.keys(BUILTIN_VARIABLES)]);
    if (rootHint) {
      const corrected = [rootHint, ...(use.segments ?? []).slice(1)].join('.');
      issue(path, `unknown variable ${use.path} — did you mean ${corrected}?`, 'error', at(use));
      return;
    }
    const pathHint = didYouMean(use.path, [...fieldNames, ...BUILTIN_PATHS]);
    if (pathHint) {
      issue(path, `unknown variable ${use.path}${pathHint}`, 'error', at(use));
      return;
    }
    const declared = fieldNames.length ? `declared: ${fieldNames.join(', ')}` : 'the template declares no fields';
    issue(path, `${root} is used but is not a declared field (${declared}) nor a built-in value`, 'error', at(use));
  };

  /** What a filter is applied to, when that is a field or a lines column: its declared type. */
  const inputType = (use: VariableUse | undefined): string | undefined => {
    if (!use) return undefined;
    if (use.scope === 'global') {
      const field = fields.get(use.root);
      if (!field) return isBuiltinGroup(use.root) ? 'text' : undefined;
      if (use.segments?.length === 1) return field.type;
      return field.type === 'money' && use.segments?.[1] === 'amount' ? 'number' : undefined;
    }
    const collection = use.loop?.collection;
    const field = collection?.scope === 'global' && collection.segments?.length === 1 ? fields.get(collection.root) : undefined;
    const column = field?.columns?.find((c) => c.name === use.segments?.[1]);
    return use.segments?.length === 2 ? column?.type : undefined;
  };

  const checkFilter = (filter: FilterUse, path: string) => {
    if ((REMOVED_FILTERS as readonly string[]).includes(filter.name)) {
      issue(path, `the ${filter.name} filter is not available: every value is HTML-escaped, so no value can add markup`, 'error', at(filter));
      return;
    }
    if (!knownFilters.includes(filter.name)) {
      issue(path, `unknown filter ${filter.name}${didYouMean(filter.name, knownFilters)}`, 'error', at(filter));
      return;
    }
    if (filter.name === 'money' && filter.args === 0) {
      const type = inputType(filter.input);
      if (type !== undefined && type !== 'money') {
        issue(path, `money needs a currency here: ${filter.input!.path} is not a money field; write | money: 'USD'`, 'error', at(filter));
      }
    }
  };

  const checkPart = (lang: string, part: 'subject' | 'body', source: string): PartCheck => {
    const path = formatPath([...base, 'variants', lang, part]);
    const kind: EngineKind = part === 'subject' ? 'text' : 'html';
    const result = prepareTemplate(kind, source, { strictFilters: false });
    if (!result.ok) {
      const { message, line, column } = result.error;
      const tag = /^tag "([^"]+)" not found$/.exec(message)?.[1];
      const explained =
        tag && (REMOVED_TAGS as readonly string[]).includes(tag)
          ? `{% ${tag} %} is not available: a pack template cannot read other templates`
          : tag
            ? `unknown tag ${tag}${didYouMean(tag, Object.keys(engineFor(kind).tags))}`
            : message;
      issue(path, `Liquid syntax error: ${explained}`, 'error', line ? { line, column: column ?? 1 } : undefined);
      return { path };
    }
    return { path, prepared: result.prepared };
  };

  for (const [lang, variant] of Object.entries(template.variants)) {
    const used = new Set<string>();
    let parsed = true;
    for (const part of ['subject', 'body'] as const) {
      const { path, prepared } = checkPart(lang, part, variant[part]);
      if (!prepared) {
        parsed = false;
        continue;
      }
      for (const use of prepared.variables) checkVariable(use, path, used);
      for (const filter of prepared.filters) checkFilter(filter, path);
      for (const link of findUnsafeLinks(prepared.literal ?? '')) {
        issue(path, `a link with ${link.attribute}="${link.value.slice(0, 60)}" would open "${link.scheme}:"; only ${SAFE_LINK_SCHEMES.join(', ')} links are allowed`);
      }
      for (const site of prepared.outputs) {
        if (!site.context) continue;
        const unsafe = unsafeContextReason(site.context);
        if (unsafe) issue(path, `${site.text}: ${unsafe}`, 'error', at(site));
        else if (site.context.kind === 'attribute' && site.context.quote === '') {
          issue(path, `${site.text} is in the unquoted attribute ${site.context.name}; put the attribute value in quotes`, 'warning', at(site));
        }
      }
    }
    // A variant that does not parse says nothing about which fields it uses.
    if (parsed) usedBy.set(lang, used);
  }
  if (usedBy.size === 0) return issues;

  const languages = [...usedBy.keys()].sort((a, b) => (a === pack.defaultLanguage ? -1 : b === pack.defaultLanguage ? 1 : 0));
  (template.fields ?? []).forEach((field, j) => {
    const users = languages.filter((lang) => usedBy.get(lang)!.has(field.name));
    if (users.length === 0) {
      issue([...base, 'fields', j], `field ${field.name} is declared but no variant uses it`, 'warning');
      return;
    }
    for (const lang of languages) {
      if (!users.includes(lang)) {
        issue([...base, 'variants', lang], `does not use field ${field.name}, which the ${users.join(', ')} variant${users.length > 1 ? 's use' : ' uses'}`, 'warning');
      }
    }
  });
  return issues;
}
