/**
 * The names the manifests give the event handlers and function commands, and the ids of the
 * buttons the Smart Alerts dialog can run. The manifest generator and the event bundle both
 * read them from here, and test/outlook/manifest*.test.ts checks the built bundle registers each.
 */
export const HANDLERS = {
  newMessageCompose: 'onNewMessageComposeHandler',
  messageFromChanged: 'onMessageFromChangedHandler',
  messageSend: 'onMessageSendHandler',
  reinsertSignature: 'reinsertSignature',
  scheduleForClientMorning: 'scheduleForClientMorning',
} as const;

/** Control ids of the compose function-command buttons (Smart Alerts `commandId`). */
export const COMMANDS = {
  reinsertSignature: 'TradepaneReinsertSignature',
  scheduleForClientMorning: 'TradepaneScheduleSend',
} as const;
