import type { StoreClient } from '../../client/store-client.js';
import { findSignature, replaceSignature, verifySignature } from '../../core/signature/marker.js';
import {
  diagnostics,
  disableClientSignature,
  displayLanguage,
  getBody,
  getDelayDelivery,
  getFrom,
  getRecipients,
  getSubject,
  notify,
  setBody,
  setDelayDelivery,
  setSignature,
  supportsDelayDelivery,
  userProfile,
} from '../office/index.js';
import type { CacheStorage } from '../office/storage.js';
import { clip, formatInZone, messagesFor, type Messages } from './messages.js';
import { wordFinding } from '../../core/payment/messages.js';
import { COMMANDS } from './names.js';
import { conversationId } from '../office/reply.js';
import { lookupSignature, type EnforcedSignature, type SignatureSource } from './signature-cache.js';
import { withTimeout } from './timeout.js';

/** What Outlook hands a launch-event handler or function command: call `completed` once, always. */
export interface LaunchEvent {
  completed(options?: { allowEvent?: boolean; errorMessage?: string; cancelLabel?: string; commandId?: string; sendModeOverride?: string; contextData?: unknown }): void;
}

export interface HandlerDeps {
  storage: CacheStorage;
  /** A store client with a token, or null when the runtime has none. */
  client: () => Promise<StoreClient | null>;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
  timing?: Partial<Timing>;
}

export interface Timing {
  /** A cached signature younger than this is inserted without asking the store. */
  freshForMs: number;
  /** Each store call on compose. */
  composeTimeoutMs: number;
  /** Each store call on send; Outlook says "taking longer" after about 5 s. */
  sendTimeoutMs: number;
  /** After this the send handler lets the mail go (fail open) whatever is still pending. */
  sendBudgetMs: number;
  /** How long the fire-and-forget state report may hold up completion. */
  reportWaitMs: number;
}

const DEFAULT_TIMING: Timing = { freshForMs: 10 * 60_000, composeTimeoutMs: 3_000, sendTimeoutMs: 1_500, sendBudgetMs: 4_000, reportWaitMs: 500 };

export type SignatureOutcome = 'inserted' | 'replaced' | 'present' | 'none' | 'unknown';

/** Calls `event.completed` exactly once, whichever path gets there first. */
function completer(event: LaunchEvent, log: (m: string, e?: unknown) => void): (options?: Parameters<LaunchEvent['completed']>[0]) => void {
  let done = false;
  return (options) => {
    if (done) return;
    done = true;
    try {
      if (options) event.completed(options);
      else event.completed();
    } catch (error) {
      log('event.completed failed', error);
    }
  };
}

/**
 * The event handlers, each reading like the rule it enforces. `createHandlers` takes its
 * dependencies so tests can drive it; src/outlook/events/index.ts wires the real ones and
 * registers them with Office.actions.associate.
 */
export function createHandlers(deps: HandlerDeps) {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? ((message: string, error?: unknown) => console.warn(`[tradepane] ${message}`, error ?? ''));
  const timing: Timing = { ...DEFAULT_TIMING, ...deps.timing };
  const source = (timeoutMs: number, freshForMs = timing.freshForMs): SignatureSource => ({ storage: deps.storage, client: deps.client, now, freshForMs, timeoutMs });

  /** Puts the enforced signature in the body exactly once: inserted, replaced, or left as it is. */
  async function ensureSignature(signature: EnforcedSignature): Promise<SignatureOutcome> {
    if (signature.policy.disableClientSignature) {
      await disableClientSignature().catch((error: unknown) => log('could not turn off the Outlook signature', error));
    }
    const body = await getBody('html');
    const found = findSignature(body);
    if (found.found) {
      const rest = body.slice(0, found.start) + body.slice(found.end);
      const stacked = findSignature(rest).found;
      if (!stacked && verifySignature(body, { id: signature.signature, hash: signature.hash }).state === 'present') return 'present';
      // Ours, but old, edited or stacked twice: one current copy where the first one was.
      await setBody(replaceSignature(body, signature.html));
      return 'replaced';
    }
    try {
      await setSignature(signature.html);
    } catch (error) {
      // Appointments, or a client without setSignatureAsync: write it into the body ourselves.
      log('setSignatureAsync failed; inserting into the body', error);
      await setBody(replaceSignature(body, signature.html));
    }
    return 'inserted';
  }

  async function applySignature(timeoutMs: number, freshForMs?: number): Promise<SignatureOutcome> {
    const lookup = await lookupSignature(source(timeoutMs, freshForMs));
    if (lookup.status === 'unknown') {
      log(`no signature to insert: ${lookup.reason}`);
      return 'unknown';
    }
    if (lookup.status === 'none') return 'none';
    return ensureSignature(lookup.signature);
  }

  async function onCompose(event: LaunchEvent): Promise<SignatureOutcome> {
    const complete = completer(event, log);
    try {
      return await applySignature(timing.composeTimeoutMs);
    } catch (error) {
      log('could not insert the signature', error);
      return 'unknown';
    } finally {
      complete();
    }
  }

  /** The recipient's clock when it is outside their business hours, else null. */
  async function outsideHours(client: StoreClient | null, language: string): Promise<{ message: string; canSchedule: boolean } | null> {
    if (!client) return null;
    if (supportsDelayDelivery() && (await getDelayDelivery().catch(() => null))) return null; // already scheduled
    const first = (await getRecipients('to'))[0];
    if (!first) return null;
    const time = await withTimeout(() => client.clientTime(first.address, new Date(now())), timing.sendTimeoutMs, 'the client-time request');
    if (time.inBusinessHours || !time.timeZone || !time.localTime) return null;
    const m = messagesFor(language);
    const local = formatInZone(time.localTime, time.timeZone, m.language);
    const params = { who: first.name || first.address, local, status: m.time(time.statusText) };
    const message = time.nextSlot ? m.t('outsideHours', { ...params, next: formatInZone(time.nextSlot, time.timeZone, m.language) }) : m.t('outsideHoursNoSlot', params);
    return { message, canSchedule: Boolean(time.nextSlot) && supportsDelayDelivery() };
  }

  /**
   * The payment guard: bank details in the body that are not the company's official accounts,
   * judged by the store under the pack's policy. Null when the mail may go (or the store cannot say).
   */
  async function unofficialBankDetails(client: StoreClient | null, m: Messages): Promise<{ message: string; block: boolean } | null> {
    if (!client) return null;
    const body = await getBody('html');
    const check = await withTimeout(() => client.paymentCheck({ body, format: 'html' }), timing.sendTimeoutMs, 'the payment check');
    if (check.action === 'allow') return null;
    const reasons = check.findings.slice(0, 3).map((f) => wordFinding(f, m.t));
    return { message: [m.t(check.action === 'block' ? 'pay.blocked' : 'pay.warned'), ...reasons].join(' '), block: check.action === 'block' };
  }

  /**
   * The team inbox's checks, in one round trip (`/team-conversations/send-check`): a colleague
   * answered this conversation after the rep opened it (the store knows when the sync saw the
   * answer), and a recipient is another rep's buyer (buyer ownership). Null when neither, when the
   * mail is no team matter, or when the store cannot say (fail open).
   */
  async function teamWarning(client: StoreClient | null, m: Messages): Promise<string | null> {
    if (!client) return null;
    const [to, subject] = await Promise.all([getRecipients('to'), getSubject().catch(() => '')]);
    const thread = conversationId();
    if (!thread && !to.length) return null;
    const check = await withTimeout(() => client.teamSendCheck({ ...(thread ? { threadId: thread } : {}), ...(subject ? { subject: subject.slice(0, 1000) } : {}), addresses: to.slice(0, 50).map((p) => p.address) }), timing.sendTimeoutMs, 'the team send check');
    const parts: string[] = [];
    const c = check.collision;
    if (c) parts.push(m.t('teamCollision', { who: c.by.name || c.by.address, when: formatInZone(c.answeredAt, null, m.language) }));
    const o = check.ownership;
    if (o?.ownedByOther && o.owner) parts.push(m.t('teamOwned', { owner: o.owner.name || o.owner.email, company: o.company?.name ?? o.buyer, buyer: o.buyer }));
    return parts.length ? parts.join(m.language === 'zh-CN' ? '' : ' ') : null;
  }

  async function onSend(event: LaunchEvent): Promise<void> {
    const complete = completer(event, log);
    const guard = setTimeout(() => {
      log('on-send check ran out of time; letting the message go');
      complete({ allowEvent: true });
    }, timing.sendBudgetMs);
    let report: Promise<unknown> = Promise.resolve();
    try {
      const language = displayLanguage();
      const { t } = messagesFor(language);
      // The cache answers first: a missing signature is caught even when the store is down.
      const lookup = await lookupSignature(source(timing.sendTimeoutMs, Number.POSITIVE_INFINITY));
      const client = await withTimeout(() => deps.client(), timing.sendTimeoutMs, 'the store token').catch(() => null);
      if (lookup.status === 'enforced' && lookup.signature.policy.signatureOnSend !== 'off') {
        const signature = lookup.signature;
        const verdict = verifySignature(await getBody('html'), { id: signature.signature, hash: signature.hash });
        const state = verdict.state === 'present' ? 'ok' : verdict.state;
        if (client) {
          const from = (await getFrom().catch(() => null))?.address ?? userProfile().emailAddress;
          const host = (() => {
            try {
              return diagnostics().hostName;
            } catch {
              return undefined;
            }
          })();
          report = client
            .reportSignatureState({ address: from, state, pack: signature.pack, signature: signature.signature, detail: verdict.reason.slice(0, 500), ...(host ? { client: host.slice(0, 100) } : {}) })
            .catch((error: unknown) => log('could not report the signature state', error));
        }
        if (state !== 'ok') {
          await settle(report);
          complete({
            allowEvent: false,
            errorMessage: clip(state === 'missing' ? t('missing') : t('altered'), 500),
            cancelLabel: clip(t('reinsert'), 20),
            commandId: COMMANDS.reinsertSignature,
            ...(signature.policy.signatureOnSend === 'warn' ? { sendModeOverride: 'promptUser' } : {}),
          });
          return;
        }
      }
      const team = await teamWarning(client, messagesFor(language)).catch((error: unknown) => {
        log('team send check unavailable; not checking for a colleague\'s answer or another rep\'s buyer', error);
        return null;
      });
      if (team) {
        await settle(report);
        // The rep may still send (a second answer, or an agreed hand-over, can be right): Outlook asks, it does not block.
        complete({ allowEvent: false, errorMessage: clip(team, 500), sendModeOverride: 'promptUser' });
        return;
      }
      const payment = await unofficialBankDetails(client, messagesFor(language)).catch((error: unknown) => {
        log('payment check unavailable; not checking bank details', error);
        return null;
      });
      if (payment) {
        await settle(report);
        // Block: the rep must take the details out (Smart Alerts' block mode); warn: they may send anyway.
        complete({ allowEvent: false, errorMessage: clip(payment.message, 500), ...(payment.block ? {} : { sendModeOverride: 'promptUser' }) });
        return;
      }
      const hours = await outsideHours(client, language).catch((error: unknown) => {
        log('client time unavailable; not checking business hours', error);
        return null;
      });
      await settle(report);
      if (hours) {
        complete({
          allowEvent: false,
          errorMessage: clip(hours.message, 500),
          sendModeOverride: 'promptUser',
          ...(hours.canSchedule ? { cancelLabel: clip(t('schedule'), 20), commandId: COMMANDS.scheduleForClientMorning } : {}),
        });
        return;
      }
      complete({ allowEvent: true });
    } catch (error) {
      log('on-send check failed; letting the message go', error);
      complete({ allowEvent: true });
    } finally {
      clearTimeout(guard);
    }
  }

  function settle(work: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timing.reportWaitMs);
      work.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });
  }

  /** Function command (and the Smart Alerts action): put the current signature back. */
  async function reinsert(event: LaunchEvent): Promise<SignatureOutcome> {
    const complete = completer(event, log);
    try {
      const outcome = await applySignature(timing.composeTimeoutMs, 0);
      if (outcome === 'unknown') await notify('tradepane-signature', messagesFor(displayLanguage()).t('signatureUnavailable'), 'error').catch(() => undefined);
      return outcome;
    } catch (error) {
      log('could not re-insert the signature', error);
      return 'unknown';
    } finally {
      complete();
    }
  }

  /**
   * Function command (and the Smart Alerts action): deliver at the first recipient's next business
   * morning — their next opening after now, also when they are open now (the store's nextSlot).
   */
  async function scheduleForClientMorning(event: LaunchEvent): Promise<Date | null> {
    const complete = completer(event, log);
    const { t, language } = messagesFor(displayLanguage());
    try {
      if (!supportsDelayDelivery()) {
        await notify('tradepane-schedule', t('cannotSchedule'), 'error').catch(() => undefined);
        return null;
      }
      const first = (await getRecipients('to'))[0];
      const client = await deps.client();
      if (!first || !client) return null;
      const time = await withTimeout(() => client.clientTime(first.address, new Date(now())), timing.composeTimeoutMs, 'the client-time request');
      if (!time.nextSlot) return null;
      const when = new Date(time.nextSlot);
      await setDelayDelivery(when);
      await notify('tradepane-schedule', t('scheduled', { when: formatInZone(time.nextSlot, time.timeZone, language) })).catch(() => undefined);
      return when;
    } catch (error) {
      log('could not schedule the message', error);
      return null;
    } finally {
      complete();
    }
  }

  return {
    onNewMessageCompose: onCompose,
    onMessageFromChanged: onCompose,
    onMessageSend: onSend,
    reinsertSignature: reinsert,
    scheduleForClientMorning,
  };
}
