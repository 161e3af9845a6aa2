export * from './accounts.js';
export * from './check.js';
export * from './find.js';
export * from './lookalike.js';
export * from './wording.js';
