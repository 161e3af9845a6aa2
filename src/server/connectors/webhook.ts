import { createHmac } from 'node:crypto';
import { classifyHttpFailure, CONVERSATION_EVENT_TYPES, CRM_EVENT_TYPES, isLoopbackHost, PAYMENT_EVENT_TYPES, SEND_EVENT_TYPES, TEAM_INBOX_EVENT_TYPES, type ConnectorAdapter } from './types.js';

/**
 * POSTs each event as JSON to the subscriber's URL, signed so they can trust it:
 *   X-Tradepane-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Tradepane-Timestamp: <unix seconds>   (reject anything older than 5 minutes: no replays)
 *   X-Tradepane-Delivery:  <event id>        (the same on a retry: deduplicate on it)
 * docs/crm.md gives the verification recipe.
 */

export interface WebhookSettings {
  url: string;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}


export const webhookAdapter: ConnectorAdapter<WebhookSettings> = {
  kind: 'webhook',
  // Subscribers get every event, the scheduled-send and conversation ones included (docs/crm.md, docs/mailboxes.md list the bodies).
  accepts: [...CRM_EVENT_TYPES, ...SEND_EVENT_TYPES, ...CONVERSATION_EVENT_TYPES, ...PAYMENT_EVENT_TYPES, ...TEAM_INBOX_EVENT_TYPES],
  validate(settings, secrets) {
    const url = (settings as { url?: unknown } | null)?.url;
    if (typeof url !== 'string') throw new Error('settings.url: is required');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`settings.url: "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) throw new Error('settings.url: must be an https URL');
    if (!secrets.signingSecret || secrets.signingSecret.length < 16) throw new Error('secrets.signingSecret: at least 16 characters');
    return { url: parsed.toString() };
  },
  async deliver(event, settings, secrets) {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tradepane-webhook/1',
          'x-tradepane-event': event.type,
          'x-tradepane-delivery': event.id,
          'x-tradepane-timestamp': String(timestamp),
          'x-tradepane-signature': signWebhook(secrets.signingSecret!, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
        redirect: 'error',
      });
    } catch (error) {
      return { ok: false, retryable: true, reason: `could not reach ${new URL(settings.url).host}: ${(error as Error).message}` };
    }
    if (response.ok) return { ok: true };
    return classifyHttpFailure(response.status, await response.text().catch(() => ''), response.headers.get('retry-after'));
  },
};
