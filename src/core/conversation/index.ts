/** Conversations: subject keys, automatic-mail verdicts, threading and who wrote last. */
export * from './subject.js';
export * from './auto-reply.js';
export * from './thread.js';
