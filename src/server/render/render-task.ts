import type { PackTemplate } from '../../core/pack/schema.js';
import { renderTemplate, type RenderContext, type RenderOptions, type RenderResult } from '../../core/template/index.js';
import { sanitizeRenderedHtml } from '../../core/sanitize/index.js';

/** One render: plain data, so it crosses to a worker thread by structured clone. */
export interface RenderTask {
  template: PackTemplate;
  language: string;
  context: RenderContext;
  options: RenderOptions;
}

/** Renders a template and sanitises the HTML that came out, as every render endpoint sends it. */
export function runRenderTask(task: RenderTask): RenderResult {
  const result = renderTemplate(task.template, task.language, task.context, task.options);
  if (!result.ok) return result;
  return { ...result, html: sanitizeRenderedHtml(result.html, 'template').html };
}

/** Where renders run: a worker pool in the store (render/pool.ts), or in-line. */
export type Renderer = (task: RenderTask) => Promise<RenderResult>;

export const renderInline: Renderer = async (task) => runRenderTask(task);
