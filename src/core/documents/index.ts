export * from './labels.js';
export * from './model.js';
export * from './money.js';
export * from './text.js';
export * from './number.js';
export * from './from-template.js';
