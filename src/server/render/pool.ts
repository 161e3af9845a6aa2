import { Piscina } from 'piscina';
import type { RenderResult } from '../../core/template/index.js';
import { AppError } from '../errors.js';
import type { Renderer, RenderTask } from './render-task.js';

export interface RenderPoolOptions {
  /** Worker threads rendering at once. */
  threads: number;
  /** Renders that may wait for a thread; past threads + queue the answer is 503. */
  queue: number;
  /** A render (waiting for a thread included, starting the first thread not) that takes longer is stopped, its thread replaced: 503. */
  timeoutMs: number;
  /** The worker module (tests use stand-ins); default: worker-entry.mjs beside this file. */
  filename?: string;
}

/** 503 with Retry-After: the caller may simply try again shortly. */
export class ServiceBusy extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
  }
}

/**
 * Renders off the event loop: a heavy template (liquidjs allows up to 2 s of work) cannot delay
 * /healthz or anyone else's request. A fixed number of threads, a capped queue and a time limit
 * bound the work; beyond them the store answers 503 with Retry-After instead of queueing without
 * end. Threads start on first use and stop when idle.
 */
export class RenderPool {
  private pool: Piscina | undefined;
  private warm: Promise<unknown> | undefined;
  private inFlight = 0;

  constructor(private readonly options: RenderPoolOptions) {}

  private piscina(): Piscina {
    this.pool ??= new Piscina({
      filename: this.options.filename ?? new URL('./worker-entry.mjs', import.meta.url).href,
      minThreads: this.options.threads,
      maxThreads: this.options.threads,
    });
    return this.pool;
  }

  /**
   * Resolves once a worker has loaded the renderer (a ping task, no time limit). Starting a thread
   * (tsx, liquidjs) can take seconds on a loaded machine; that is not a render's time.
   */
  ready(): Promise<unknown> {
    this.warm ??= this.piscina().run({ ping: true });
    return this.warm;
  }

  readonly render: Renderer = async (task: RenderTask): Promise<RenderResult> => {
    const { threads, queue, timeoutMs } = this.options;
    if (this.inFlight >= threads + queue) {
      throw new ServiceBusy('busy', `the store is rendering ${this.inFlight} templates (its limit); try again in a moment`, 1);
    }
    this.inFlight += 1;
    try {
      await this.ready();
      return (await this.piscina().run(task, { signal: AbortSignal.timeout(timeoutMs) })) as RenderResult;
    } catch (error) {
      if ((error as Error).name === 'AbortError') {
        throw new ServiceBusy('render_timeout', `rendering took longer than ${timeoutMs} ms and was stopped; try again, or simplify the template`, Math.ceil(timeoutMs / 1000));
      }
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  };

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
    this.warm = undefined;
  }
}
