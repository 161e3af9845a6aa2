import { Piscina } from 'piscina';
import { ServiceBusy, type RenderPoolOptions } from '../render/pool.js';
import type { DocumentRenderer, DocumentTask, DocumentTaskResult } from './task.js';

/**
 * Draws documents off the event loop, bounded like template renders (render/pool.ts, the same
 * RENDER_* limits): shaping and font subsetting are CPU work that must not delay /healthz or
 * anyone's request. Its own threads, so a burst of PDFs does not queue the task pane's renders.
 */
export class DocumentPool {
  private pool: Piscina | undefined;
  private warm: Promise<unknown> | undefined;
  private inFlight = 0;

  constructor(private readonly options: RenderPoolOptions) {}

  private piscina(): Piscina {
    this.pool ??= new Piscina({
      filename: this.options.filename ?? new URL('./worker-entry.mjs', import.meta.url).href,
      minThreads: 1,
      maxThreads: this.options.threads,
    });
    return this.pool;
  }

  /** Resolves once a worker has loaded the drawing code (not counted in a document's time limit). */
  ready(): Promise<unknown> {
    this.warm ??= this.piscina().run({ ping: true });
    return this.warm;
  }

  readonly draw: DocumentRenderer = async (task: DocumentTask): Promise<DocumentTaskResult> => {
    const { threads, queue, timeoutMs } = this.options;
    if (this.inFlight >= threads + queue) {
      throw new ServiceBusy('busy', `the store is drawing ${this.inFlight} documents (its limit); try again in a moment`, 1);
    }
    this.inFlight += 1;
    try {
      await this.ready();
      return (await this.piscina().run(task, { signal: AbortSignal.timeout(timeoutMs) })) as DocumentTaskResult;
    } catch (error) {
      if ((error as Error).name === 'AbortError') {
        throw new ServiceBusy('render_timeout', `drawing the document took longer than ${timeoutMs} ms and was stopped; try again`, Math.ceil(timeoutMs / 1000));
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
