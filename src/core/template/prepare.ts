import {
  analyzeSync,
  Context,
  CycleTag,
  EchoTag,
  evalToken,
  ForTag,
  LiquidError,
  Output,
  TablerowTag,
  TokenKind,
  Tokenizer,
  TypeGuards,
  Value,
  type Emitter,
  type Liquid,
  type Template,
  type TagToken,
  type Token,
  type Variable,
} from 'liquidjs';
import { engineFor, type EngineKind } from './engine.js';
import { literalHtml, scanHtmlContexts, type HtmlContext, type SourcePiece } from './html-context.js';
import { LRUCache } from 'lru-cache';
import { compileTemplates, type CompiledTemplate } from './compile.js';
import type { TextPart } from './plain-text.js';

/**
 * A parsed template plus what the rest of this module needs to know about it: every variable
 * use with its position and scope, every filter, every place that prints a value (with its HTML
 * context) and every loop. Printing places and loops are instrumented once, at parse time, so a
 * render can tell which value came out blank; per-render state travels in the Liquid context, so
 * one parsed template serves every render.
 */

export interface VariableUse {
  /** As written: 'contact.firstName', 'line.qty', 'lines[0].qty'. */
  path: string;
  /** The path as plain segments, when it has no computed part (`lines[i]`). */
  segments?: (string | number)[];
  root: string;
  /** 1-based, inside the template text. */
  line: number;
  column: number;
  /** global: comes from the render context. loop: a `for` variable. local: assigned or captured in the template. */
  scope: 'global' | 'loop' | 'local';
  /** For a loop variable: the loop's collection, when that is a plain variable. */
  loop?: { variable: string; collection?: VariableUse };
}

export interface FilterUse {
  name: string;
  /** How many arguments it was given. */
  args: number;
  line: number;
  column: number;
  /** The variable the filter is applied to, when it is the first filter after a lone variable: `price | money`. */
  input?: VariableUse;
}

export interface OutputSite {
  text: string;
  line: number;
  column: number;
  variables: VariableUse[];
  filters: FilterUse[];
  /** A `default` filter: the author has said what to print when the value is blank. */
  hasDefault: boolean;
  /** Where it lands in the HTML (bodies only). */
  context?: HtmlContext;
}

export interface LoopSite {
  line: number;
  column: number;
  collection: VariableUse[];
  hasElse: boolean;
}

export interface PreparedTemplate {
  kind: EngineKind;
  templates: Template[];
  variables: VariableUse[];
  filters: FilterUse[];
  outputs: OutputSite[];
  loops: LoopSite[];
  /** Bodies: the HTML the author wrote, outputs as a placeholder word and tags left out. */
  literal?: string;
  /** Each printing node's and loop's site, for the compiled form (`compile.ts`). */
  sites: Map<Template, OutputSite>;
  loopSites: Map<Template, LoopSite>;
  /** The compiled form, made on first render; null when the template needs the interpreter. */
  compiled?: CompiledTemplate | null;
}

export interface TemplateSyntaxError {
  message: string;
  line?: number;
  column?: number;
}

export type Preparation = { ok: true; prepared: PreparedTemplate } | { ok: false; error: TemplateSyntaxError };

/** Hooks a render installs in the context's registers to hear about printing places and loops. */
export const SITE_REGISTER = 'tradepane.sites';
export interface SiteHooks {
  current?: OutputSite;
  emptyLoop(ctx: Context, loop: LoopSite): void;
}

const ESCAPE_STEP = /^\[object /; // the output-escape step liquidjs appends to every output

type Scope = Map<string, { kind: 'loop'; variable: string; collection?: VariableUse } | { kind: 'local' }>;

function position(token: Token | undefined): { line: number; column: number } {
  const [line, column] = token?.getPosition() ?? [0, 0];
  return { line: line ?? 0, column: column ?? 0 };
}

/** Variables in some Liquid arguments (tokens or Values), through liquidjs's own static analysis. */
function variablesIn(args: readonly unknown[]): Variable[] {
  if (args.length === 0) return [];
  const stub = { token: undefined, render() {}, arguments: () => args } as unknown as Template;
  const found = Object.values(analyzeSync([stub], { partials: false }).variables).flat();
  return found.sort((a, b) => a.location.row - b.location.row || a.location.col - b.location.col);
}

function plainSegments(variable: Variable): (string | number)[] | undefined {
  return variable.segments.every((s) => typeof s === 'string' || typeof s === 'number') ? (variable.segments as (string | number)[]) : undefined;
}

function resolve(variable: Variable, scopes: readonly Scope[]): VariableUse {
  const root = String(variable.segments[0] ?? '');
  const base = { path: variable.toString(), segments: plainSegments(variable), root, line: variable.location.row, column: variable.location.col };
  for (let i = scopes.length - 1; i >= 0; i--) {
    const binding = scopes[i]!.get(root);
    if (!binding) continue;
    if (binding.kind === 'local') return { ...base, scope: 'local' };
    return { ...base, scope: 'loop', loop: { variable: binding.variable, collection: binding.collection } };
  }
  return { ...base, scope: 'global' };
}

interface FilterInternals {
  name: string;
  args: unknown[];
  token?: Token;
}

function filterUses(value: Value, scopes: readonly Scope[]): FilterUse[] {
  const filters = (value.filters as unknown as FilterInternals[]).filter((f) => !ESCAPE_STEP.test(f.name));
  const postfix = value.initial.postfix;
  const lone = postfix.length === 1 && TypeGuards.isPropertyAccessToken(postfix[0]) ? variablesIn(postfix)[0] : undefined;
  return filters.map((f, i) => ({
    name: f.name,
    args: f.args.length,
    ...position(f.token),
    ...(i === 0 && lone ? { input: resolve(lone, scopes) } : {}),
  }));
}

/** The top-level pieces of a source: literal HTML and Liquid tokens, with their offsets. */
function piecesOf(source: string, engine: Liquid): SourcePiece[] {
  const tokens = new Tokenizer(source, engine.options.operators).readTopLevelTokens(engine.options);
  return tokens.map((t) => {
    const text = source.slice(t.begin, t.end);
    if (t.kind === TokenKind.Tag) return { kind: 'tag', begin: t.begin, end: t.end, text, name: (t as TagToken).name };
    if (t.kind === TokenKind.Output) return { kind: 'output', begin: t.begin, end: t.end, text };
    return { kind: 'html', begin: t.begin, end: t.end, text };
  });
}

type RenderFn = (ctx: Context, emitter: Emitter) => unknown;

function instrumentOutput(node: Template, site: OutputSite): void {
  const original = node.render.bind(node) as RenderFn;
  (node as { render: RenderFn }).render = function* (ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
    const hooks = ctx.getRegister<SiteHooks | undefined>(SITE_REGISTER);
    if (!hooks) return yield original(ctx, emitter);
    const outer = hooks.current;
    hooks.current = site;
    try {
      // Some tags (cycle) return what they print instead of writing it; pass that on.
      return yield original(ctx, emitter);
    } finally {
      hooks.current = outer;
    }
  };
}

function instrumentLoop(node: ForTag, site: LoopSite): void {
  const original = node.render.bind(node) as RenderFn;
  (node as { render: RenderFn }).render = function* (ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
    const hooks = ctx.getRegister<SiteHooks | undefined>(SITE_REGISTER);
    if (hooks && !site.hasElse) {
      const collection: unknown = yield evalToken(node.collection, ctx);
      const empty = collection === undefined || collection === null || collection === '' || (Array.isArray(collection) && collection.length === 0);
      if (empty) hooks.emptyLoop(ctx, site);
    }
    return yield original(ctx, emitter);
  };
}

function childrenOf(node: Template): Template[] {
  if (!node.children) return [];
  // Without partials, children() returns at once; step the generator by hand to stay synchronous.
  const it = node.children(false, true);
  let step = it.next();
  while (!step.done) step = it.next(step.value as never);
  return step.value;
}

function prepareParsed(kind: EngineKind, source: string, templates: Template[], engine: Liquid): PreparedTemplate {
  const prepared: PreparedTemplate = { kind, templates, variables: [], filters: [], outputs: [], loops: [], sites: new Map(), loopSites: new Map() };
  let contexts: Map<number, HtmlContext> | undefined;
  let pieces: SourcePiece[] = [];
  if (kind === 'html') {
    pieces = piecesOf(source, engine);
    contexts = scanHtmlContexts(pieces);
    prepared.literal = literalHtml(pieces);
  }
  const contextAt = (offset: number): HtmlContext | undefined => {
    if (!contexts) return undefined;
    const piece = pieces.find((p) => p.kind !== 'html' && p.begin <= offset && offset < p.end);
    return piece ? contexts.get(piece.begin) : undefined;
  };

  const visit = (node: Template, scopes: Scope[]) => {
    const args = node.arguments ? [...node.arguments()] : [];
    const uses = variablesIn(args).map((v) => resolve(v, scopes));
    const filters = args.filter((a): a is Value => a instanceof Value).flatMap((v) => filterUses(v, scopes));
    prepared.variables.push(...uses);
    prepared.filters.push(...filters);

    // Everything that prints a value: outputs, echo (also inside {% liquid %}), cycle.
    if (node instanceof Output || node instanceof EchoTag || node instanceof CycleTag) {
      const token = node.token;
      const site: OutputSite = {
        text: token.getText(),
        ...position(token),
        variables: uses,
        filters,
        hasDefault: filters.some((f) => f.name === 'default'),
        ...(contexts ? { context: contextAt(token.begin) ?? { kind: 'text' } } : {}),
      };
      prepared.outputs.push(site);
      prepared.sites.set(node, site);
      instrumentOutput(node, site);
    }

    if (node.localScope) {
      // assign, capture, increment: names that belong to the template from here on
      for (const ident of node.localScope()) scopes[0]!.set(typeof ident === 'string' ? ident : ident.content, { kind: 'local' });
    }

    let inner = scopes;
    if (node instanceof ForTag || node instanceof TablerowTag) {
      const collectionUse = uses.find((u) => u.line === position(node.collection).line && u.column === position(node.collection).column);
      const scope: Scope = new Map();
      scope.set(node.variable, { kind: 'loop', variable: node.variable, collection: collectionUse });
      scope.set(node instanceof ForTag ? 'forloop' : 'tablerowloop', { kind: 'local' });
      inner = [...scopes, scope];
      if (node instanceof ForTag) {
        const site: LoopSite = { ...position(node.token), collection: collectionUse ? [collectionUse] : uses, hasElse: node.elseTemplates.length > 0 };
        prepared.loops.push(site);
        prepared.loopSites.set(node, site);
        instrumentLoop(node, site);
      }
    }
    for (const child of childrenOf(node)) visit(child, inner);
  };

  const root: Scope[] = [new Map()];
  for (const node of templates) visit(node, root);
  return prepared;
}

/** liquidjs appends ", line:3, col:12" to its messages; the position is reported on its own. */
function syntaxError(error: unknown): TemplateSyntaxError {
  if (error instanceof LiquidError) {
    const [line, column] = error.token?.getPosition() ?? [];
    const message = error.message.replace(/, line:\d+, col:\d+$/, '');
    return { message, ...(line ? { line, column } : {}) };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

// One cache per engine, keyed by the text itself: a key built by concatenation would be a new
// string on every render, hashed again from its first character to its last.
const caches = new Map<string, LRUCache<string, Preparation>>();

/**
 * Parses and prepares a subject ('text') or body ('html'). Results are cached by text: packs
 * change rarely and reps insert the same templates all day.
 */
export function prepareTemplate(kind: EngineKind, source: string, options: { strictFilters?: boolean } = {}): Preparation {
  const strict = options.strictFilters ?? true;
  const engineKey = `${kind}:${strict}`;
  let cache = caches.get(engineKey);
  if (!cache) {
    cache = new LRUCache<string, Preparation>({ max: 500 });
    caches.set(engineKey, cache);
  }
  const key = source;
  const hit = cache.get(key);
  if (hit) return hit;
  const engine = engineFor(kind, strict);
  let result: Preparation;
  try {
    result = { ok: true, prepared: prepareParsed(kind, source, engine.parse(source), engine) };
  } catch (error) {
    result = { ok: false, error: syntaxError(error) };
  }
  cache.set(key, result);
  return result;
}

/**
 * Renders a prepared template in a context made by `contextFor`: through its compiled form when
 * the compiler covers it (compiled once per prepared template, so once per template text in
 * this process or worker), else through liquidjs's interpreter. `interpret` forces the
 * interpreter (the differential tests compare the two).
 */
export function renderPrepared(prepared: PreparedTemplate, ctx: Context, options: { interpret?: boolean; parts?: TextPart[] } = {}): string {
  const compiled = options.interpret ? null : compiledForm(prepared);
  if (compiled) return compiled(ctx, options.parts);
  return String(engineFor(prepared.kind).renderSync(prepared.templates, ctx));
}

/** The compiled form of a prepared template (made once), or null when it needs the interpreter. */
export function compiledForm(prepared: PreparedTemplate): CompiledTemplate | null {
  if (prepared.compiled === undefined) prepared.compiled = compileTemplates(prepared.templates, prepared.sites, prepared.loopSites) ?? null;
  return prepared.compiled;
}
