import { sanitizeAdminHtml } from '../sanitize/index.js';
import { signatureSyntaxError } from '../signature/index.js';
import { prepareTemplate } from '../template/prepare.js';
import type { PackDocument } from './schema.js';
import type { PackIssue } from './validate.js';

/**
 * A pack as it is stored and rendered: every template and signature body sanitised, each removal
 * reported as a warning. Sanitising can cut a Liquid tag in half (an `{% endif %}` inside a
 * removed <script>), so each body that changed is parsed again: one that no longer parses is an
 * error, or every insert of it would fail after publishing.
 */
export function sanitizePack(pack: PackDocument): { pack: PackDocument; removed: PackIssue[] } {
  const removed: PackIssue[] = [];
  return {
    removed,
    pack: {
      ...pack,
      ...(pack.templates
        ? {
            templates: pack.templates.map((t, i) => ({
              ...t,
              variants: Object.fromEntries(Object.entries(t.variants).map(([lang, v]) => [lang, { ...v, body: cleanBody(v.body, 'template', `templates[${i}].variants.${lang}.body`, removed) }])),
            })),
          }
        : {}),
      ...(pack.signatures ? { signatures: pack.signatures.map((sig, i) => ({ ...sig, body: cleanBody(sig.body, 'signature', `signatures[${i}].body`, removed) })) } : {}),
    },
  };
}

/**
 * What sanitising would report for a pack that did not validate, so an admin sees the errors of
 * every stage at once: the bodies that are strings where the schema puts them, whatever else is
 * wrong around them.
 */
export function sanitizerIssuesOfDraft(value: unknown): PackIssue[] {
  const removed: PackIssue[] = [];
  const record = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const root = record(value);
  const templates = Array.isArray(root?.templates) ? (root.templates as unknown[]) : [];
  templates.forEach((t, i) => {
    for (const [lang, variant] of Object.entries(record(record(t)?.variants) ?? {})) {
      const body = record(variant)?.body;
      if (typeof body === 'string') cleanBody(body, 'template', `templates[${i}].variants.${lang}.body`, removed);
    }
  });
  const signatures = Array.isArray(root?.signatures) ? (root.signatures as unknown[]) : [];
  signatures.forEach((sig, i) => {
    const body = record(sig)?.body;
    if (typeof body === 'string') cleanBody(body, 'signature', `signatures[${i}].body`, removed);
  });
  return removed;
}

/** One body sanitised; each removal a warning, a body that no longer parses an error. */
function cleanBody(html: string, profile: 'template' | 'signature', path: string, removed: PackIssue[]): string {
  const result = sanitizeAdminHtml(html, profile);
  for (const what of result.removed) removed.push({ path, message: `removed ${what}`, severity: 'warning' });
  if (result.html !== html) {
    const broken = profile === 'template' ? templateSyntaxError(result.html) : signatureSyntaxError(result.html);
    if (broken) {
      removed.push({
        path,
        message: `cannot render once unsafe HTML is removed: ${broken}, in the sanitised body (removed: ${result.removed.join('; ')}); move the Liquid tags out of what is removed`,
        severity: 'error',
      });
    }
  }
  return result.html;
}

function templateSyntaxError(body: string): string | undefined {
  const result = prepareTemplate('html', body, { strictFilters: false });
  if (result.ok) return undefined;
  const { message, line, column } = result.error;
  return `Liquid syntax error${line ? ` at line ${line}, column ${column}` : ''}: ${message}`;
}
