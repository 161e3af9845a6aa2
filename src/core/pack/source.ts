import { CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, isNode, type Node, type Pair, type YAMLMap } from 'yaml';
import { issueText, validatePack, type PackIssue } from './validate.js';
import { sanitizerIssuesOfDraft } from './sanitized.js';
import { offsetInScalar } from './scalar-position.js';
import type { PackDocument } from './schema.js';

/** A pack issue with where it is in the file the admin wrote. */
export interface LocatedIssue extends PackIssue {
  line?: number;
  column?: number;
}

export type SourceFormat = 'yaml' | 'json';

/**
 * Bounds on the work one pack may cause, so a hostile or mistaken file is refused before it can
 * hold the process: the source's length, its nodes (counted while lexing, before the document is
 * built, and again after aliases are expanded), how deep collections nest, and alias uses.
 * Parsing and locating issues are linear in the text within these bounds.
 */
export const PACK_LIMITS = {
  /** Characters of source text. */
  sourceChars: 512 * 1024,
  /** Scalars and collections, in the text and after expanding aliases. */
  nodes: 20_000,
  /** Collections inside collections. */
  depth: 32,
  /** Alias uses (`*name`): a pack may reuse an anchor often; yaml resolves each alias by scanning the earlier ones. */
  aliases: 5_000,
} as const;

export type PackLimitName = keyof typeof PACK_LIMITS;

/** Which limit a source went over: the caller answers 413 for the size, 422 for the others. */
export interface PackLimitExceeded {
  limit: PackLimitName;
  max: number;
}

export type ParsedPack =
  | { ok: true; pack: PackDocument; format: SourceFormat; issues: LocatedIssue[]; locate: (issue: PackIssue) => LocatedIssue }
  | { ok: false; format: SourceFormat; issues: LocatedIssue[]; limit?: PackLimitExceeded };

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

const LIMIT_TEXT: Record<PackLimitName, (max: number) => string> = {
  sourceChars: (max) => `the pack is longer than the limit of ${max} characters`,
  nodes: (max) => `the pack has more than the limit of ${max} nodes (keys, values and list items, aliases expanded)`,
  depth: (max) => `the pack nests lists and maps deeper than the limit of ${max} levels`,
  aliases: (max) => `the pack uses aliases (*name) more than the limit of ${max} times`,
};

function overLimit(format: SourceFormat, limit: PackLimitName, line?: number, column?: number): ParsedPack {
  const max = PACK_LIMITS[limit];
  return {
    ok: false,
    format,
    limit: { limit, max },
    issues: [{ path: '(document)', message: LIMIT_TEXT[limit](max), severity: 'error', ...(line ? { line, column } : {}) }],
  };
}

/**
 * Counts nodes and flow nesting from the lexer's tokens, stopping at the first limit crossed, so
 * an oversized document costs a bounded scan, never a full parse. Block nesting is checked on the
 * parsed tree (its depth needs indentation, which the parse works out).
 */
function prescan(text: string): { limit: PackLimitName; offset: number } | undefined {
  let nodes = 0;
  let aliases = 0;
  let flowDepth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    switch (CST.tokenType(token)) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar-header':
        nodes += 1;
        break;
      case 'alias':
        nodes += 1;
        aliases += 1;
        if (aliases > PACK_LIMITS.aliases) return { limit: 'aliases', offset };
        break;
      case 'flow-map-start':
      case 'flow-seq-start':
        nodes += 1;
        flowDepth += 1;
        if (flowDepth > PACK_LIMITS.depth) return { limit: 'depth', offset };
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        flowDepth -= 1;
        break;
      case 'map-value-ind':
      case 'seq-item-ind':
        nodes += 1; // an implicit collection or an empty value
        break;
      default:
        break;
    }
    if (nodes > PACK_LIMITS.nodes) return { limit: 'nodes', offset };
    // The lexer's mode markers (document, flow end, plain scalar start) are not in the text.
    if (token !== '\x02' && token !== '\x18' && token !== '\x1f') offset += token.length;
  }
  return undefined;
}

/** Duplicate keys (one Set per map: linear) and block nesting depth, walking the tree without recursion. */
function checkTree(root: unknown): { duplicate?: Node; tooDeep?: Node } {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > PACK_LIMITS.depth) return { tooDeep: node };
      const seen = isMap(node) ? new Set<unknown>() : undefined;
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          const key = isScalar(item.key) ? item.key.value : item.key;
          if (seen) {
            if (seen.has(key)) return { duplicate: item.key as Node };
            seen.add(key);
          }
          stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return {};
}

/** Nodes of a plain value, aliases expanded (yaml shares one object per anchor), stopping past the limit. */
function expandedSizeOver(value: unknown, max: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    count += 1;
    if (count > max) return true;
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

/**
 * Parses pack source text (YAML, or JSON, which is YAML too) keeping node positions, validates it,
 * and attaches line:column to every issue: the deepest node of the path that exists in the file.
 * The work is linear in the text and bounded by PACK_LIMITS.
 */
export function parsePackSource(text: string, fileName?: string): ParsedPack {
  const format = detectFormat(text, fileName);
  if (text.length > PACK_LIMITS.sourceChars) return overLimit(format, 'sourceChars');
  const lineCounter = new LineCounter();
  const early = prescan(text);
  if (early) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < early.offset; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    const pos = lineCounter.linePos(early.offset);
    return overLimit(format, early.limit, pos.line, pos.col);
  }
  // yaml's own unique-key check compares every key with every other (quadratic); checkTree does it with a Set.
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    // The prescan bounds flow nesting; block nesting deep enough to exhaust the stack lands here.
    if (error instanceof RangeError) return overLimit(format, 'depth');
    throw error;
  }
  const what = format === 'json' ? 'JSON' : 'YAML';
  const at = (node: Node | undefined) => {
    if (!node?.range) return {};
    const pos = lineCounter.linePos(node.range[0]);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      format,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '(document)', message: `${what} syntax: ${e.message.split('\n')[0]}`, severity: 'error' as const, line: pos.line, column: pos.col };
      }),
    };
  }
  const tree = checkTree(doc.contents);
  if (tree.tooDeep) {
    const pos = at(tree.tooDeep);
    return overLimit(format, 'depth', pos.line, pos.column);
  }
  if (tree.duplicate) {
    return { ok: false, format, issues: [{ path: '(document)', message: `${what} syntax: Map keys must be unique`, severity: 'error', ...at(tree.duplicate) }] };
  }
  // yaml's own alias budget (uses × aliases inside the anchor) refused a pack reusing one anchor
  // 1,000 times with a 500. It is not needed: toJS shares one object per anchor, the prescan
  // bounds alias uses, and the expanded size is counted here before anything walks the value.
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (expandedSizeOver(value, PACK_LIMITS.nodes)) return overLimit(format, 'nodes');

  // Each map's keys indexed once, on first use: locating every issue stays linear.
  const keyIndex = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  const pairOf = (map: YAMLMap, key: unknown): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isNode(p.key) && !isAlias(p.key)) index.set((p.key as { value?: unknown }).value, p);
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  const locate = (issue: PackIssue): LocatedIssue => {
    const segments = pathSegments(issue.path);
    let node: unknown = doc.contents;
    let located: Node | undefined = isNode(node) ? node : undefined;
    // Problems with a key itself (unknown, not a language code) point at the key; all others at the value.
    const aboutKey = /^(unknown field|")/.test(issue.message);
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = pairOf(node as YAMLMap, segment) ?? (typeof segment === 'number' ? pairOf(node as YAMLMap, String(segment)) : undefined);
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
    const { inner, ...rest } = issue;
    if (!located?.range) return inner ? { ...rest, message: issueText(issue) } : rest;
    let offset = located.range[0];
    if (inner) {
      // A position inside a template body becomes the file's: one coordinate system for the admin.
      const within = isScalar(located) && typeof located.value === 'string' ? offsetInScalar(text.slice(located.range[0], located.range[1]), located.type, located.value, inner.line, inner.column) : undefined;
      if (within === undefined) return { ...rest, message: issueText(issue), ...at(located) };
      offset += within;
    }
    const pos = lineCounter.linePos(offset);
    return { ...rest, line: pos.line, column: pos.col };
  };
  const result = validatePack(value);
  if (result.ok) return { ok: true, pack: result.pack, format, issues: result.issues.map(locate), locate };
  // The sanitiser's findings too (a valid pack gets them when it is sanitised for storing).
  return { ok: false, format, issues: [...result.issues, ...sanitizerIssuesOfDraft(value)].map(locate) };
}

/** `packs/acme.yaml:12:5: error: templates[0].kind: must be one of …` */
export function formatIssue(issue: LocatedIssue, fileName = '<pack>'): string {
  const where = issue.line ? `${fileName}:${issue.line}:${issue.column}` : fileName;
  return `${where}: ${issue.severity}: ${issue.path}: ${issue.message}`;
}
