/** The team inbox's rules: states, the response clock, routing (docs/team-inbox.md). */
export * from './states.js';
export * from './clock.js';
export * from './rules.js';
export * from './rules-schema.js';
export * from './mentions.js';
export * from './figures.js';
export * from './notices.js';
export * from './regions.js';
