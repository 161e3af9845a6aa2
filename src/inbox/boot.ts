import { startFirstLoad } from './first-load.js';

/**
 * The page's first script, an entry of its own (webpack.config.js): the browser runs it as soon as
 * it has arrived, while React and Fluent UI are still being downloaded, so the first screen's
 * requests leave before the rest of the page's script is even there. index.tsx imports the same
 * module instance (its entry depends on this one).
 */
export const firstLoad = startFirstLoad();
