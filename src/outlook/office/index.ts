/**
 * THE Office.js adapter: every Outlook API the add-in uses, as promises with typed errors.
 * Nothing else in src/outlook touches `Office.*`.
 */
export { OfficeError, OfficeUnavailableError } from './errors.js';
export { officeCall } from './async.js';
export { office, hasOffice, mailbox, officeReady, displayLanguage, isSetSupported, diagnostics, userProfile, onItemChanged, associateHandler, officeSsoToken } from './host.js';
export type { OfficeReadyInfo, OutlookDiagnostics, UserProfile } from './host.js';
export {
  currentItem,
  itemInfo,
  addAttachmentFromBase64,
  getBodyType,
  getBody,
  setBody,
  insertAtCursor,
  getSubject,
  setSubject,
  getRecipients,
  getFrom,
  supportsDelayDelivery,
  getDelayDelivery,
  setDelayDelivery,
  setSignature,
  isClientSignatureEnabled,
  disableClientSignature,
  readFields,
  getInternetHeaders,
  getSharedProperties,
  headerValue,
  getDateHeader,
  MAX_SUBJECT_LENGTH,
  MAX_SIGNATURE_LENGTH,
  MAX_INSERT_LENGTH,
} from './item.js';
export type { ItemMode, ItemKind, ItemInfo, BodyType, RecipientField, MailAddress, InsertContent, ReadFields } from './item.js';
export { cacheStorage } from './storage.js';
export type { CacheStorage } from './storage.js';
export { openDialogForMessage, messageParent } from './dialog.js';
export { notify } from './notify.js';
