import { runRenderTask, type RenderTask } from './render-task.js';

/** The pool's task function (piscina calls the default export in each worker thread). */
export default function render(task: RenderTask | { ping: true }) {
  if ('ping' in task) return null; // RenderPool.ready(): the thread has loaded this module
  return runRenderTask(task);
}
