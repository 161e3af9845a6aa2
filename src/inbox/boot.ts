import { startFirstLoad } from './first-load.js';

/**
 * index.tsx imports this module first, so it runs before React and Fluent UI are evaluated (ES
 * modules run in import order): the first screen's requests leave while the rest of the script
 * is still being evaluated.
 */
export const firstLoad = startFirstLoad();
