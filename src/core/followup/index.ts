/** Follow-ups: when "remind me if no reply" comes due, what counts as the reply, pack defaults. Pure. */
export * from './errors.js';
export * from './due.js';
export * from './reply.js';
export * from './return-date.js';
export * from './defaults.js';
export * from './reply-time.js';
export * from './inquiry.js';
export * from './draft.js';
