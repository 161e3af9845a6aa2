import { isMap, isSeq, LineCounter, parseDocument, isNode, type Node } from 'yaml';
import { validatePack, type PackIssue } from './validate.js';
import type { PackDocument } from './schema.js';

/** A pack issue with where it is in the file the admin wrote. */
export interface LocatedIssue extends PackIssue {
  line?: number;
  column?: number;
}

export type SourceFormat = 'yaml' | 'json';

export type ParsedPack =
  | { ok: true; pack: PackDocument; format: SourceFormat; issues: LocatedIssue[] }
  | { ok: false; format: SourceFormat; issues: LocatedIssue[] };

export function detectFormat(text: string, fileName?: string): SourceFormat {
  if (fileName && /\.json$/i.test(fileName)) return 'json';
  if (fileName && /\.ya?ml$/i.test(fileName)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Splits `templates[2].variants.es` back into segments. */
function pathSegments(path: string): (string | number)[] {
  if (path === '(document)') return [];
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/**
 * Parses pack source text (YAML, or JSON, which is YAML too) keeping node positions, validates it,
 * and attaches line:column to every issue: the deepest node of the path that exists in the file.
 */
export function parsePackSource(text: string, fileName?: string): ParsedPack {
  const format = detectFormat(text, fileName);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      format,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const what = format === 'json' ? 'JSON' : 'YAML';
        return { path: '(document)', message: `${what} syntax: ${e.message.split('\n')[0]}`, severity: 'error' as const, line: pos.line, column: pos.col };
      }),
    };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const locate = (issue: PackIssue): LocatedIssue => {
    const segments = pathSegments(issue.path);
    let node: unknown = doc.contents;
    let located: Node | undefined = isNode(node) ? node : undefined;
    // Problems with a key itself (unknown, not a language code) point at the key; all others at the value.
    const aboutKey = /^(unknown field|")/.test(issue.message);
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === segment);
        if (!pair) break;
        node = pair.value;
        located = (last && aboutKey) || !isNode(pair.value) ? (pair.key as Node) : pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!isNode(item)) break;
        located = item;
        node = item;
      } else break;
    }
    if (!located?.range) return issue;
    const pos = lineCounter.linePos(located.range[0]);
    return { ...issue, line: pos.line, column: pos.col };
  };
  const result = validatePack(value);
  const issues = result.issues.map(locate);
  return result.ok ? { ok: true, pack: result.pack, format, issues } : { ok: false, format, issues };
}

/** `packs/acme.yaml:12:5: error: templates[0].kind: must be one of …` */
export function formatIssue(issue: LocatedIssue, fileName = '<pack>'): string {
  const where = issue.line ? `${fileName}:${issue.line}:${issue.column}` : fileName;
  return `${where}: ${issue.severity}: ${issue.path}: ${issue.message}`;
}
