/**
 * Signatures: render a pack's signature for a rep, find it again in a message body that a mail
 * client has rewritten, replace it without ever stacking a second copy, tell whether it is
 * still intact, and check a pack's signature against Outlook's and Gmail's limits.
 */
export { renderSignature, REP_FIELDS, COMPANY_FIELDS, type RepProfile, type RenderedSignature } from './render.js';
export { findSignature, replaceSignature, verifySignature, contentHash, wrapSignature, quoteStart, MARKER_ID, type FoundSignature, type SignatureState, type SignatureVerdict, type SignatureWhy } from './marker.js';
export { checkSignatureLimits, checkSignature, signatureSyntaxError, OUTLOOK_SIGNATURE_MAX, GMAIL_SIGNATURE_MAX } from './check.js';
export { visibleLines } from './html.js';
