import { decodeEntities, parseHtml, type HtmlElement, type HtmlNode } from './html.js';

/**
 * "Lines whose values are empty disappear." While rendering, every Liquid output is wrapped in
 * OPEN … CLOSE (private-use characters that input can never contain), so afterwards an empty
 * value is visible as OPEN CLOSE, in text or in an attribute. The line holding it goes, whole:
 *
 * - in a `<p>`, `<div>`, `<li>`, heading … that is one line, the element;
 * - in a cell that is one line, the table row (so "Mobile:" in the cell beside it goes too);
 * - where `<br>` separates lines, that segment and one of the `<br>`s next to it, so no
 *   double break is left behind;
 * - and any container emptied by that (the table whose only row it was, the list …).
 */

export const OPEN = '\uE000';
export const CLOSE = '\uE001';
const EMPTY_VALUE = /\uE000\s*\uE001/;

const LINE_CONTAINERS = new Set(['p', 'div', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'center', 'dd', 'dt', 'pre', 'address', 'caption']);
const STRUCTURE = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'hr']);
const isBoundary = (name: string) => LINE_CONTAINERS.has(name) || STRUCTURE.has(name);

type Item = { kind: 'leaf'; node: HtmlNode } | { kind: 'br' | 'block'; node: HtmlElement };
interface Segment {
  leaves: HtmlNode[];
  before: Item | undefined;
  after: Item | undefined;
}

function flatten(el: HtmlElement, into: Item[] = []): Item[] {
  for (const c of el.children) {
    if (c.kind === 'comment') continue;
    if (c.kind === 'text') into.push({ kind: 'leaf', node: c });
    else if (c.name === 'br') into.push({ kind: 'br', node: c });
    else if (isBoundary(c.name)) into.push({ kind: 'block', node: c });
    else if (c.children.length === 0) into.push({ kind: 'leaf', node: c });
    else flatten(c, into);
  }
  return into;
}

function segmentsOf(items: Item[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { leaves: [], before: undefined, after: undefined };
  for (const item of items) {
    if (item.kind === 'leaf') current.leaves.push(item.node);
    else {
      current.after = item;
      segments.push(current);
      current = { leaves: [], before: item, after: undefined };
    }
  }
  segments.push(current);
  return segments;
}

export function removeEmptyLines(html: string): string {
  const root = parseHtml(html);
  const removed = new Set<HtmlNode>();
  const source = (n: HtmlNode) => html.slice(n.start, n.kind === 'element' ? n.openEnd : n.end);

  const isBlank = (n: HtmlNode): boolean => {
    if (removed.has(n) || n.kind === 'comment') return true;
    if (n.kind === 'text') return n.raw || decodeEntities(html.slice(n.start, n.end)).replace(/[\uE000\uE001]/g, '').trim() === '';
    if (n.name === 'img' || n.name === 'hr') return false;
    return n.children.every(isBlank);
  };

  const removeLine = (el: HtmlElement): void => {
    let target = el;
    if (target.name === 'td' || target.name === 'th') {
      for (let p = target.parent; p && p !== root; p = p.parent) {
        if (p.name === 'tr') {
          target = p;
          break;
        }
        if (p.name === 'table') break;
      }
    }
    if (target === root) {
      for (const c of root.children) removed.add(c);
      return;
    }
    removed.add(target);
    const parent = target.parent;
    if (parent && parent !== root && parent.children.every(isBlank)) removeLine(parent);
  };

  const prune = (node: HtmlNode, container: HtmlElement) => {
    for (let p = node.parent; p && p !== container && p !== root; p = p.parent) {
      if (!p.children.every(isBlank)) break;
      removed.add(p);
    }
  };

  // Which nodes hold an empty value, and the line container of each.
  const dirtyByContainer = new Map<HtmlElement, Set<HtmlNode>>();
  const visit = (el: HtmlElement) => {
    for (const node of el.children) {
      if (node.kind === 'comment') continue;
      const dirty = node.kind === 'text' ? !node.raw && EMPTY_VALUE.test(source(node)) : EMPTY_VALUE.test(source(node));
      if (dirty) {
        if (node.kind === 'element' && isBoundary(node.name)) {
          removeLine(node);
          continue;
        }
        let container: HtmlElement = node.parent ?? root;
        while (container !== root && !isBoundary(container.name)) container = container.parent ?? root;
        const set = dirtyByContainer.get(container) ?? new Set<HtmlNode>();
        set.add(node);
        dirtyByContainer.set(container, set);
      }
      if (node.kind === 'element') visit(node);
    }
  };
  visit(root);

  for (const [container, dirtyNodes] of dirtyByContainer) {
    if (removed.has(container)) continue;
    const items = flatten(container);
    const segments = segmentsOf(items);
    const segmentOf = new Map<HtmlNode, number>();
    segments.forEach((s, i) => s.leaves.forEach((leaf) => segmentOf.set(leaf, i)));
    const dirtySegments = new Set<number>();
    for (const node of dirtyNodes) {
      const leaves = node.kind === 'element' && node.children.length > 0 ? flatten(node).filter((i) => i.kind === 'leaf').map((i) => i.node) : [node];
      for (const leaf of leaves) {
        const i = segmentOf.get(leaf);
        if (i !== undefined) dirtySegments.add(i);
      }
      if (node.kind === 'element') removed.add(node);
    }
    if (dirtySegments.size === 0) continue;

    const oneLine = !items.some((i) => i.kind === 'block') && segments.every((s, i) => dirtySegments.has(i) || s.leaves.every(isBlank));
    if (oneLine) {
      removeLine(container);
      continue;
    }
    // Last first, so a run of empty lines takes the breaks between them and one more.
    for (const i of [...dirtySegments].sort((a, b) => b - a)) {
      const segment = segments[i]!;
      for (const leaf of segment.leaves) {
        removed.add(leaf);
        prune(leaf, container);
      }
      if (segment.after?.kind === 'br' && !removed.has(segment.after.node)) removed.add(segment.after.node);
      else if (segment.before?.kind === 'br' && !removed.has(segment.before.node)) removed.add(segment.before.node);
    }
    if (container !== root && container.children.every(isBlank)) removeLine(container);
  }

  const ranges = [...removed].map((n) => [n.start, n.end] as const).sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [start, end] of ranges) {
    if (end <= pos) continue;
    out += html.slice(pos, Math.max(pos, start));
    pos = Math.max(pos, end);
  }
  return out + html.slice(pos);
}
