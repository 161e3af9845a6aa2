import { runDocumentTask, type DocumentTask } from './task.js';

/** The document pool's task function (piscina calls the default export in each worker thread). */
export default function draw(task: DocumentTask | { ping: true }) {
  if ('ping' in task) return null; // DocumentPool.ready(): the thread has loaded this module
  return runDocumentTask(task);
}
