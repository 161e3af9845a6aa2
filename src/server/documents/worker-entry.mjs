// Entry of each document worker thread: registers tsx's loader in this thread before importing
// the task (as render/worker-entry.mjs does for template renders).
import { register } from 'tsx/esm/api';

register();
const { default: draw } = await import('./worker.ts');
export default draw;
