// Entry of each render worker thread. The store runs its TypeScript through tsx, whose loader
// hooks belong to the thread that registered them, so each worker registers its own before
// importing the task (under `npm start`, under jest, and in `tradepane serve` alike).
import { register } from 'tsx/esm/api';

register();
const { default: render } = await import('./worker.ts');
export default render;
