import {
  AssignTag,
  CaptureTag,
  CaseTag,
  CommentTag,
  Context,
  Drop,
  evalToken,
  filters as liquidFilters,
  ForTag,
  IfTag,
  InlineCommentTag,
  isTruthy,
  LiquidError,
  Output,
  RenderError,
  TokenKind,
  toValue,
  toValueSync,
  TypeGuards,
  UndefinedVariableError,
  UnlessTag,
  type Template,
  type Value,
} from 'liquidjs';
import { HtmlCaptureTag, runOf, type RenderRun } from './engine.js';
import { readPiece, type TextPart } from './plain-text.js';
import { SITE_REGISTER, type LoopSite, type OutputSite, type SiteHooks } from './prepare.js';
import { SafeHtml } from './values.js';

/**
 * A prepared template as a tree of JavaScript closures, for the tags and filters packs use:
 * raw text, outputs with filters, `if`/`elsif`/`else`, `unless`, `case`/`when`, `for` (with
 * `forloop` and `else`; no `limit`/`offset`/`reversed`, `break`/`continue`), `assign`, `capture`
 * and comments. Anything else — a tag or operator the compiler does not know — leaves the
 * template to liquidjs's interpreter (`compileTemplates` answers undefined).
 *
 * The closures do what liquidjs's interpreter does, step for step, on the same `Context`: the
 * same scope look-ups (`findScope`, `readProperty`), the same filter functions called with the
 * same `this`, the same operators, the same output-escape step and site hooks, the same errors
 * (a non-Liquid error is wrapped in a RenderError naming the innermost node). What they save is
 * liquidjs's generator machinery: a generator per token, filter and node, resolved one step at
 * a time (60 % of a render in the profile). Closures rather than generated source
 * (`new Function`): the task pane's and Outlook's pages forbid eval by their CSP.
 */

/**
 * What a render writes to, with the run's hooks read once from the context's registers (a render
 * does not change them). `parts`, when the caller wants the plain text, gets what was written in
 * order — each static piece as read at compile time, each value's HTML — for plain-text.ts.
 */
type Out = { s: string; hooks: SiteHooks | undefined; run: RenderRun | undefined; direct: SiteOutput | undefined; parts: TextPart[] | undefined };

function write(out: Out, html: string): void {
  out.s += html;
  if (out.parts !== undefined && html !== '') out.parts.push(html);
}

/** A run that prints a value for a site it is told (render.ts's Run), when it is also the render's site hooks. */
interface SiteOutput {
  outputAt(ctx: Context, site: OutputSite, value: unknown): string;
}

function directOf(hooks: SiteHooks | undefined, run: RenderRun | undefined): SiteOutput | undefined {
  return hooks !== undefined && (hooks as unknown) === run && typeof (run as Partial<SiteOutput>).outputAt === 'function' ? (run as unknown as SiteOutput) : undefined;
}
type Step = (ctx: Context, out: Out) => void;
type Expr = (ctx: Context) => unknown;
/**
 * Renders; given `parts`, also fills it for the plain text — unless `pieces` is false: some static
 * HTML ends inside a tag (a value printed in a tag or attribute), and the text is read from the
 * finished HTML.
 */
export type CompiledTemplate = ((ctx: Context, parts?: TextPart[]) => string) & { readonly pieces: boolean };

class Unsupported extends Error {}

/** Context.findScope is private in liquidjs's types; `_get` uses it to choose where a name is read from. */
interface ScopeFinder {
  findScope(key: string): object;
}

/** liquidjs's ForloopDrop (not exported): the same fields in the same order, so `{{ forloop }}` prints the same JSON. */
class ForloopDrop extends Drop {
  // Assigned in the constructor, in liquidjs's order (i, length, name): class fields and parameter
  // properties are laid down in a different order by different compilers (swc put length first).
  declare i: number;
  declare length: number;
  declare name: string;
  constructor(length: number, collection: string, variable: string) {
    super();
    this.i = 0;
    this.length = length;
    this.name = `${variable}-${collection}`;
  }
  next(): void {
    this.i++;
  }
  index0(): number {
    return this.i;
  }
  index(): number {
    return this.i + 1;
  }
  first(): boolean {
    return this.i === 0;
  }
  last(): boolean {
    return this.i === this.length - 1;
  }
  rindex(): number {
    return this.length - this.i;
  }
  rindex0(): number {
    return this.length - this.i - 1;
  }
  override valueOf(): string {
    return JSON.stringify(this);
  }
}

function createScope(from?: object): Record<string, unknown> {
  const scope = Object.create(null) as Record<string, unknown>;
  if (from) Object.assign(scope, from);
  return scope;
}

function toEnumerable(val: unknown): unknown[] {
  val = toValue(val);
  if (Array.isArray(val)) return val;
  if (typeof val === 'string' && val.length > 0) return [val];
  if (val !== null && typeof val === 'object' && Symbol.iterator in val) return Array.from(val as Iterable<unknown>);
  if (val !== null && typeof val === 'object') return Object.keys(val).map((key) => [key, (val as Record<string, unknown>)[key]]);
  return [];
}

const UNARY = new Set(['not']);
const BINARY = new Set(['==', '!=', '>', '<', '>=', '<=', 'contains', 'and', 'or']);

type Operator = (...args: unknown[]) => unknown;

interface Compiler {
  sites: ReadonlyMap<Template, OutputSite>;
  loops: ReadonlyMap<Template, LoopSite>;
  /** Whether every static piece could be read alone (none ends inside a tag: no value is printed in a tag or attribute). */
  pieces: boolean;
  /** The loop variables where the compiler is (see Bindings). */
  bound: Bindings;
}

interface TokenLike {
  content?: unknown;
  variable?: unknown;
  props?: TokenLike[];
  operator?: string;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Context.readProperty, with its common case taken directly: with own properties only (our
 * engines), an object that is not an array and has no toLiquid, read by a string key other
 * than size/first/last, gives its own property (any property of a Drop, our typed values
 * included), a function's result called on it, or what a Drop says for a missing key. The scope
 * objects the first segment is read from are such objects. Everything else (arrays, numbers as
 * keys, strings, size/first/last, toLiquid) goes to readProperty itself.
 */
function read(ctx: Context, obj: unknown, key: unknown): unknown {
  if (typeof key === 'string' && typeof obj === 'object' && obj !== null && key !== 'size' && key !== 'first' && key !== 'last' && !Array.isArray(obj) && typeof (obj as { toLiquid?: unknown }).toLiquid !== 'function') {
    if (obj instanceof Drop) {
      const value = (obj as unknown as Record<string, unknown>)[key];
      if (value === undefined) return obj.liquidMethodMissing(key, ctx);
      return typeof value === 'function' ? (value as () => unknown).call(obj) : value;
    }
    if (ctx.ownPropertyOnly) {
      const value = hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
      return typeof value === 'function' ? (value as () => unknown).call(obj) : value;
    }
  }
  return ctx.readProperty(obj as never, key as never);
}

/**
 * The loop variables in scope where an expression is compiled, each with the slot its loop keeps
 * the current row in (and `forloop`'s). Inside a compiled `for`, the loop's scope is the top one
 * and always holds its variable, so `line.qty` reads the row from the slot instead of looking for
 * `line` through the context's scopes (an `assign` writes the bottom scope, which the loop's
 * shadows, as in liquidjs).
 */
type Bindings = ReadonlyMap<string, { value: unknown }>;
const NO_BINDINGS: Bindings = new Map();

function compileToken(token: TokenLike | undefined, bound: Bindings): Expr {
  if (!token) return () => undefined;
  if ('content' in token) {
    const content = token.content;
    return () => content;
  }
  if (TypeGuards.isPropertyAccessToken(token as never) && !token.variable) {
    const props = (token.props ?? []).map((p): Expr => {
      if ('content' in p) {
        const content = p.content;
        return () => content;
      }
      const inner = compileToken(p, bound);
      return (ctx) => toValue(inner(ctx));
    });
    if (props.length === 0) throw new Unsupported('empty property access');
    const first = props[0]!;
    const rest = props.slice(1);
    // Context._get: the first segment chooses the scope; every segment is then read from there.
    const where = token as never;
    const root = token.props?.[0];
    const slot = root && 'content' in root && typeof root.content === 'string' ? bound.get(root.content) : undefined;
    if (slot) {
      const key = root!.content as string;
      return (ctx) => {
        try {
          // What reading the loop's scope gives (a function there would be called: left to read).
          let value: unknown = typeof slot.value === 'function' ? read(ctx, (ctx as unknown as ScopeFinder).findScope(key), key) : slot.value;
          for (const prop of rest) value = read(ctx, value, prop(ctx));
          return value;
        } catch (e) {
          throw new UndefinedVariableError(e as Error, where);
        }
      };
    }
    return (ctx) => {
      const key = first(ctx) as string;
      try {
        let value: unknown = read(ctx, (ctx as unknown as ScopeFinder).findScope(key), key);
        for (const prop of rest) value = read(ctx, value, prop(ctx));
        return value;
      } catch (e) {
        throw new UndefinedVariableError(e as Error, where);
      }
    };
  }
  // Ranges, filtered values in parentheses, computed roots: liquidjs's own evaluation.
  return (ctx) => toValueSync(evalToken(token as never, ctx, false));
}

function compileExpression(postfix: readonly TokenLike[], bound: Bindings): Expr {
  if (postfix.length === 1) return compileToken(postfix[0], bound);
  const program: ({ op: string; unary: boolean } | Expr)[] = postfix.map((token) => {
    if (TypeGuards.isOperatorToken(token as never)) {
      const op = token.operator!;
      if (!UNARY.has(op) && !BINARY.has(op)) throw new Unsupported(`operator ${op}`);
      return { op, unary: UNARY.has(op) };
    }
    return compileToken(token, bound);
  });
  return (ctx) => {
    const operands: unknown[] = [];
    const operators = ctx.opts.operators as unknown as Record<string, Operator>;
    for (const step of program) {
      if (typeof step === 'function') {
        operands.push(step(ctx));
        continue;
      }
      const r = operands.pop();
      const fn = operators[step.op]!;
      operands.push(toValueSync(step.unary ? fn(r, ctx) : fn(operands.pop(), r, ctx)));
    }
    return operands[0];
  };
}

interface FilterInternals {
  name: string;
  handler: (...args: unknown[]) => unknown;
  args: (TokenLike | [string, TokenLike])[];
  token: unknown;
  liquid: unknown;
}

/** liquidjs's toNumber, which its arithmetic filters apply to every argument. */
const toNumber = (value: unknown): number => +(toValue(value) as number) || 0;

/** liquidjs's own arithmetic filters (`argumentsToNumber` around these), called directly when the engine has them under their names. */
const ARITHMETIC = new Map<unknown, (a: number, b: number) => number>([
  [liquidFilters.times, (a, b) => a * b],
  [liquidFilters.plus, (a, b) => a + b],
  [liquidFilters.minus, (a, b) => a - b],
]);

const ESCAPE_STEP = /^\[object /; // the output-escape step liquidjs appends to every output

/** A filtered value (`Value.value`), through its first `count` filters (all by default). */
function compileValue(value: Value, bound: Bindings, count?: number): Expr {
  const initial = compileExpression(value.initial.postfix as unknown as TokenLike[], bound);
  const filters = (value.filters as unknown as FilterInternals[]).slice(0, count);
  if (filters.length === 0) return initial;
  const steps = filters.map((filter) => {
    const args = filter.args.map((arg): ((ctx: Context) => unknown) => {
      if (Array.isArray(arg)) {
        const [key, token] = arg;
        const inner = compileToken(token, bound);
        return (ctx) => [key, inner(ctx)];
      }
      return compileToken(arg, bound);
    });
    const { handler, token, liquid } = filter;
    const [a0, a1] = args;
    const arithmetic = args.length === 1 && !Array.isArray(filter.args[0]) ? ARITHMETIC.get(handler) : undefined;
    if (arithmetic) {
      // liquidjs's arithmetic: both sides through toNumber, the argument evaluated first (as Filter.render does).
      return (ctx: Context, input: unknown): unknown => {
        const arg = a0!(ctx);
        return arithmetic(toNumber(input), toNumber(arg));
      };
    }
    // The filter's `this`, made once per render (liquidjs makes one per call; no filter keeps it).
    let self = { context: undefined as Context | undefined, token, liquid };
    const filterThis = (ctx: Context) => (self.context === ctx ? self : (self = { context: ctx, token, liquid }));
    if (args.length === 0) return (ctx: Context, input: unknown): unknown => resolved(handler.call(filterThis(ctx), input));
    if (args.length === 1) return (ctx: Context, input: unknown): unknown => resolved(handler.call(filterThis(ctx), input, a0!(ctx)));
    if (args.length === 2) return (ctx: Context, input: unknown): unknown => resolved(handler.call(filterThis(ctx), input, a0!(ctx), a1!(ctx)));
    return (ctx: Context, input: unknown): unknown => {
      const argv: unknown[] = [input];
      for (const arg of args) argv.push(arg(ctx));
      return resolved(handler.apply(filterThis(ctx), argv));
    };
  });
  return (ctx) => {
    let v = initial(ctx);
    for (const step of steps) v = step(ctx, v);
    return v;
  };
}

function stringify(value: unknown): string {
  value = toValue(value);
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

/** toValueSync: a filter written as a generator returns an iterator, run here to its value; anything else is the value. */
function resolved(result: unknown): unknown {
  return typeof result === 'object' && result !== null && typeof (result as { next?: unknown }).next === 'function' ? toValueSync(result) : result;
}

/**
 * renderTemplates: a render-limit check, and errors wrapped as liquidjs wraps them. liquidjs checks
 * the clock before each node; here once per sequence run, and a loop body (`checked: false`) on
 * every 16th row (the loop checks): a clock read per row was ~2 % of a 50-line quotation's HTML,
 * and a row without an inner loop is a fixed handful of nodes.
 */
function compileSequence(templates: readonly Template[], c: Compiler, checked = true): Step {
  const steps = templates.map((t) => compileNode(t, c));
  const nodes = templates;
  return (ctx, out) => {
    if (checked) ctx.renderLimit.check(performance.now());
    for (let i = 0; i < steps.length; i++) {
      try {
        steps[i]!(ctx, out);
      } catch (e) {
        throw LiquidError.is(e) ? e : new RenderError(e as Error, nodes[i]!);
      }
    }
  };
}

function compileNode(node: Template, c: Compiler): Step {
  // liquidjs does not export its HTML node class: a node made from an HTML token with its text in `str`.
  if (node.token?.kind === TokenKind.HTML && typeof (node as { str?: unknown }).str === 'string') {
    const str = (node as unknown as { str: string }).str;
    const piece = readPiece(str);
    if (!piece) c.pieces = false;
    return (_ctx, out) => {
      out.s += str;
      if (out.parts !== undefined && piece) out.parts.push(piece);
    };
  }
  if (node instanceof Output) {
    const site = c.sites.get(node);
    const raw = (node as unknown as { value: Value }).value;
    const filters = raw.filters as unknown as FilterInternals[];
    const escape = filters[filters.length - 1];
    let value: (ctx: Context, out: Out) => unknown;
    if (escape && ESCAPE_STEP.test(escape.name) && escape.args.length === 0) {
      // The output-escape step is engine.ts's outputStep: with a render under way it is the
      // run's output(), called here directly; without one, the filter itself.
      const before = compileValue(raw, c.bound, filters.length - 1);
      const { handler, token, liquid } = escape;
      if (site) {
        // A render's run that is also its site hooks (render.ts) is told the site instead of
        // reading it from hooks.current: the same output, without setting and restoring it.
        const general = (ctx: Context, out: Out): void => {
          const v = before(ctx);
          write(out, stringify(toValue(out.run ? out.run.output(ctx, v) : toValueSync(handler.call({ context: ctx, token, liquid }, v)))));
        };
        return (ctx, out) => {
          if (out.direct) {
            write(out, out.direct.outputAt(ctx, site, before(ctx)));
            return;
          }
          const hooks = out.hooks;
          if (!hooks) return general(ctx, out);
          const outer = hooks.current;
          hooks.current = site;
          try {
            general(ctx, out);
          } finally {
            hooks.current = outer;
          }
        };
      }
      value = (ctx, out) => {
        const v = before(ctx);
        return out.run ? out.run.output(ctx, v) : toValueSync(handler.call({ context: ctx, token, liquid }, v));
      };
    } else {
      const all = compileValue(raw, c.bound);
      value = (ctx) => all(ctx);
    }
    return (ctx, out) => {
      const hooks = site ? out.hooks : undefined;
      if (!hooks) {
        write(out, stringify(toValue(value(ctx, out))));
        return;
      }
      const outer = hooks.current;
      hooks.current = site;
      try {
        write(out, stringify(toValue(value(ctx, out))));
      } finally {
        hooks.current = outer;
      }
    };
  }
  if (node instanceof IfTag || node instanceof UnlessTag) {
    const raw = node as unknown as { branches: { value: Value; templates: Template[]; test?: (v: unknown, ctx: Context) => boolean }[]; elseTemplates?: Template[] };
    const branches = raw.branches.map((b) => ({ value: compileValue(b.value, c.bound), body: compileSequence(b.templates, c), test: b.test ?? isTruthy }));
    const otherwise = compileSequence(raw.elseTemplates ?? [], c);
    return (ctx, out) => {
      for (const b of branches) {
        if (b.test(toValue(b.value(ctx)), ctx)) {
          b.body(ctx, out);
          return;
        }
      }
      otherwise(ctx, out);
    };
  }
  if (node instanceof CaseTag) {
    const raw = node as unknown as { value: Value; branches: { values: TokenLike[]; templates: Template[] }[]; elseTemplates: Template[] };
    const target = compileValue(raw.value, c.bound);
    const branches = raw.branches.map((b) => ({ values: b.values.map((v) => compileToken(v, c.bound)), body: compileSequence(b.templates, c) }));
    const otherwise = compileSequence(raw.elseTemplates, c);
    return (ctx, out) => {
      const t = toValue(target(ctx));
      const equals = (ctx.opts.operators as unknown as Record<string, Operator>)['==']!;
      for (const b of branches) {
        for (const v of b.values) {
          if (toValueSync(equals(t, v(ctx), ctx))) {
            b.body(ctx, out);
            return;
          }
        }
      }
      otherwise(ctx, out);
    };
  }
  if (node instanceof ForTag) {
    const raw = node as unknown as { variable: string; collection: TokenLike & { getText(): string }; hash: { hash: Record<string, unknown> }; templates: Template[]; elseTemplates: Template[] };
    if (Object.keys(raw.hash.hash).length > 0) throw new Unsupported('for with limit, offset or reversed');
    // liquidjs's loop then fails on its own forloop (`scope.forloop.next is not a function`): its error, its way.
    if (raw.variable === 'forloop') throw new Unsupported('a loop variable named forloop');
    const site = c.loops.get(node);
    const collection = compileToken(raw.collection, c.bound);
    const otherwise = compileSequence(raw.elseTemplates, c);
    const variable = raw.variable;
    // The body sees this loop's row and forloop through slots.
    const row = { value: undefined as unknown };
    const loopDrop = { value: undefined as unknown };
    const outer = c.bound;
    c.bound = new Map([...outer, ['forloop', loopDrop], [variable, row]]);
    const body = compileSequence(raw.templates, c, false);
    c.bound = outer;
    const text = raw.collection.getText();
    return (ctx, out) => {
      const value = collection(ctx);
      if (site && !site.hasElse) {
        const hooks = out.hooks;
        const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
        if (hooks && empty) hooks.emptyLoop(ctx, site);
      }
      const items = toEnumerable(value);
      if (!items.length) {
        otherwise(ctx, out);
        return;
      }
      const forloop = new ForloopDrop(items.length, text, variable);
      const scope = createScope({ forloop });
      ctx.push(scope);
      // The slots hold what the scope holds; only this loop's body reads them, and only while it runs.
      loopDrop.value = forloop;
      for (let i = 0; i < items.length; i++) {
        if ((i & 15) === 0) ctx.renderLimit.check(performance.now());
        scope[variable] = row.value = items[i];
        ctx.continueCalled = ctx.breakCalled = false;
        body(ctx, out);
        forloop.next();
      }
      ctx.continueCalled = ctx.breakCalled = false;
      ctx.pop();
    };
  }
  if (node instanceof AssignTag) {
    const raw = node as unknown as { key: string; value: Value };
    const value = compileValue(raw.value, c.bound);
    const key = raw.key;
    return (ctx) => {
      (ctx.bottom() as Record<string, unknown>)[key] = value(ctx);
    };
  }
  if (node instanceof CaptureTag) {
    const raw = node as unknown as { variable: string; templates: Template[] };
    const body = compileSequence(raw.templates, c);
    const html = node instanceof HtmlCaptureTag;
    const variable = raw.variable;
    return (ctx, out) => {
      const inner: Out = { s: '', hooks: out.hooks, run: out.run, direct: out.direct, parts: undefined };
      body(ctx, inner);
      (ctx.bottom() as Record<string, unknown>)[variable] = html ? new SafeHtml(inner.s) : inner.s;
    };
  }
  if (node instanceof CommentTag || node instanceof InlineCommentTag) return () => {};
  throw new Unsupported(`tag ${(node.token as { name?: string } | undefined)?.name ?? node.constructor.name}`);
}

/** The compiled form of parsed templates, or undefined when they use something only the interpreter runs. */
export function compileTemplates(templates: readonly Template[], sites: ReadonlyMap<Template, OutputSite>, loops: ReadonlyMap<Template, LoopSite>): CompiledTemplate | undefined {
  let sequence: Step;
  const c: Compiler = { sites, loops, pieces: true, bound: NO_BINDINGS };
  try {
    sequence = compileSequence(templates, c);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const pieces = c.pieces;
  const compiled = (ctx: Context, parts?: TextPart[]): string => {
    const hooks = ctx.getRegister<SiteHooks | undefined>(SITE_REGISTER);
    const run = runOf(ctx);
    const out: Out = { s: '', hooks, run, direct: directOf(hooks, run), parts: pieces ? parts : undefined };
    sequence(ctx, out);
    return out.s;
  };
  return Object.assign(compiled, { pieces });
}
