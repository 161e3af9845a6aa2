/** What every face does while composing, written once: see docs/compose.md. */
export * from './input.js';
export * from './language.js';
export * from './catalogue.js';
export * from './render-inputs.js';
export * from './thread.js';
