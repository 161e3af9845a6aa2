/**
 * Is a mail an automatic one? Out-of-office notices, bounces and read receipts must not count as
 * the buyer writing (a reminder would be cancelled by a holiday notice), and list mail must not
 * thread replies together. Headers decide first (RFC 3834 Auto-Submitted, the X-Autoreply family
 * Exchange and others send, Precedence, List-Id, multipart/report), then out-of-office subjects in
 * the languages reps meet, for the servers that send no header at all.
 */

export type AutoVerdict = 'none' | 'auto-reply' | 'bounce' | 'receipt' | 'bulk';

export interface AutoReplyInput {
  autoSubmitted?: string | undefined;
  xAutoreply?: string | undefined;
  xAutorespond?: string | undefined;
  precedence?: string | undefined;
  listId?: string | undefined;
  contentType?: string | undefined;
  from?: string | null | undefined;
  subject: string;
}

/** Subject beginnings of out-of-office and auto-reply notices (compared case-insensitively). */
const AUTO_REPLY_SUBJECTS = [
  // English (Outlook, Gmail, Exchange, Zoho)
  'automatic reply', 'auto reply', 'auto-reply', 'autoreply', 'auto response', 'auto-response', 'autoresponse', 'out of office', 'out of the office', 'ooo:',
  // Chinese (Outlook, Tencent Exmail, NetEase, Alibaba)
  '自动回复', '自動回覆', '自动答复', '自動答覆', '自动应答', '休假回复', '不在办公室',
  // Spanish
  'respuesta automática', 'respuesta automatica', 'fuera de la oficina',
  // Arabic
  'رد تلقائي', 'الرد التلقائي', 'خارج المكتب',
  // German
  'abwesenheitsnotiz', 'automatische antwort', 'nicht im büro',
  // French
  'réponse automatique', 'reponse automatique', "absent(e) du bureau", 'absence du bureau',
  // Portuguese
  'resposta automática', 'resposta automatica', 'ausência temporária', 'fora do escritório',
  // Italian, Dutch, Russian, Turkish, Japanese, Korean
  'risposta automatica', 'fuori sede', 'automatisch antwoord', 'автоматический ответ', 'автоответ', 'otomatik yanıt', 'ofis dışında', '自動応答', '自動返信', '자동 응답', '부재중',
];

/** Subject beginnings of delivery failures. */
const BOUNCE_SUBJECTS = [
  'undeliverable:', 'undelivered mail', 'delivery status notification (failure)', 'delivery status notification (delay)', 'mail delivery failed', 'mail delivery failure',
  'returned mail', 'failure notice', 'delivery failure', 'message not delivered', '退信', '系统退信', '投递失败', '邮件投递失败', 'unzustellbar', 'non remis', 'no se puede entregar',
];

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

function startsWithAny(subject: string, phrases: string[]): boolean {
  // Replies to a notice ("Re: Automatic reply: …") are people again; only the subject's own start counts.
  const s = subject.normalize('NFKC').trim().toLowerCase();
  return phrases.some((p) => s.startsWith(p));
}

export function autoReplyVerdict(input: AutoReplyInput): AutoVerdict {
  const contentType = (input.contentType ?? '').toLowerCase();
  if (contentType.startsWith('multipart/report')) {
    return /report-type\s*=\s*"?disposition-notification/.test(contentType) ? 'receipt' : 'bounce';
  }
  if (input.from && BOUNCE_SENDERS.test(input.from.trim())) return 'bounce';
  const autoSubmitted = (input.autoSubmitted ?? '').trim().toLowerCase();
  const precedence = (input.precedence ?? '').trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || (input.listId ?? '').trim()) return 'bulk';
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-reply';
  if (precedence === 'auto_reply') return 'auto-reply';
  for (const value of [input.xAutoreply, input.xAutorespond]) {
    const v = (value ?? '').trim().toLowerCase();
    if (v && v !== 'no' && v !== 'false' && v !== '0') return 'auto-reply';
  }
  if (startsWithAny(input.subject, BOUNCE_SUBJECTS)) return 'bounce';
  if (startsWithAny(input.subject, AUTO_REPLY_SUBJECTS)) return 'auto-reply';
  return 'none';
}

/** A person wrote it (an automatic mail never counts as the buyer or the company writing). */
export const isHumanMail = (verdict: AutoVerdict): boolean => verdict === 'none';
