import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { AppError } from '../errors.js';
import type { AdapterFactory } from '../mail/sync.js';
import type { Renderer } from '../render/render-task.js';
import type { SecretBox } from '../secrets.js';
import { uiLanguageOf } from '../../core/i18n/index.js';
import { fileFollowUpDraft, linkLocale, openFollowUpLink } from '../services/followup-link.js';
import { escapeHtml } from '../../core/template/escape.js';

/**
 * The digest's "follow up" links (services/followup-link.ts): a page that names the follow-up and
 * asks, and its button, which files the reply draft in the rep's mailbox and says where it is.
 * Public routes: the sealed token in the path is the proof; it never reaches the request log.
 */

export interface FollowUpLinkOptions {
  db: Kysely<Database>;
  box: SecretBox | undefined;
  adapterFor: AdapterFactory;
  renderer?: Renderer | undefined;
  now?: () => Date;
}

const TEXTS = {
  en: {
    ask: 'Follow up',
    to: 'To: {to}',
    what: 'tradepane will write the reply with your team’s follow-up template, in the buyer’s language, and put it in your mailbox’s drafts. Nothing is sent: you check it and send it yourself.',
    replied: 'The buyer has replied since the digest was sent.',
    button: 'Put the reply draft in my mailbox',
    filed: 'The reply draft is in your drafts',
    where: '“{subject}” is in {folder} of {mailbox}. Open it there, check it and send it.',
    open: 'Open the draft',
    invalid: 'This follow-up link is not valid. Open tradepane in Outlook or Gmail to follow up.',
    expired: 'This follow-up link has expired (links last two weeks). Open tradepane in Outlook or Gmail to follow up.',
    off: 'This store cannot make follow-up links (no secret key is configured).',
    failed: 'No draft was made',
  },
  zh: {
    ask: '跟进',
    to: '收件人：{to}',
    what: 'tradepane 会用团队的跟进模板、以买方的语言写好回复，放入您邮箱的草稿中。不会自动发送：请检查后自行发送。',
    replied: '摘要发出后买方已经回复。',
    button: '将回复草稿放入我的邮箱',
    filed: '回复草稿已放入草稿箱',
    where: '“{subject}”已放入 {mailbox} 的 {folder}。请在那里打开、检查并发送。',
    open: '打开草稿',
    invalid: '此跟进链接无效。请在 Outlook 或 Gmail 中打开 tradepane 进行跟进。',
    expired: '此跟进链接已过期（链接有效期为两周）。请在 Outlook 或 Gmail 中打开 tradepane 进行跟进。',
    off: '此服务器无法生成跟进链接（未配置密钥）。',
    failed: '未能生成草稿',
  },
} as const;
type Words = (typeof TEXTS)[keyof typeof TEXTS];

const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '');
const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#242424}h1{font-size:1.4rem}.bad h1{color:#b10e1c}.ok h1{color:#0e700e}button,a.button{font:inherit;background:#0f6cbd;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}.hint{color:#616161}';
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(reply: FastifyReply, status: number, lang: 'en' | 'zh', kind: 'ok' | 'bad' | 'ask', title: string, inner: string) {
  const body = `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} · tradepane</title><style>${STYLE}</style></head>
<body class="${kind}"><h1>${escapeHtml(title)}</h1>${inner}</body></html>
`;
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

const langOf = (tag: string | null | undefined): 'en' | 'zh' => (uiLanguageOf(tag ?? 'en') === 'zh-CN' ? 'zh' : 'en');
/** Before the token names a rep: the browser's first language. */
const browserLang = (request: FastifyRequest) => langOf(String(request.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]);

const PATH = '/followups/draft';

export const followUpLinkRoutes: FastifyPluginAsync<FollowUpLinkOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  // The page's button posts an empty form; its body carries nothing the route reads.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));
  const route = {
    config: { access: 'public' },
    schema: { hide: true },
    logSerializers: { req: (req: { method: string }) => ({ method: req.method, url: PATH }) },
  } as const;

  /** The token's claims, or the page that says why not. */
  async function claimsOr(request: FastifyRequest, reply: FastifyReply) {
    const given = (request.query as { token?: unknown } | null)?.token;
    const token = typeof given === 'string' ? given : '';
    if (!options.box) return { done: page(reply, 404, browserLang(request), 'bad', TEXTS[browserLang(request)].failed, `<p>${escapeHtml(TEXTS[browserLang(request)].off)}</p>`) };
    const claims = openFollowUpLink(options.box, token, now());
    if (typeof claims === 'string') {
      const w = TEXTS[browserLang(request)];
      return { done: page(reply, claims === 'expired' ? 410 : 404, browserLang(request), 'bad', w.failed, `<p>${escapeHtml(claims === 'expired' ? w.expired : w.invalid)}</p>`) };
    }
    const lang = langOf(await linkLocale(options.db, claims));
    return { claims, lang, w: TEXTS[lang] as Words, box: options.box, token };
  }

  app.get(PATH, route, async (request, reply) => {
    const found = await claimsOr(request, reply);
    if ('done' in found) return found.done;
    const { claims, lang, w, token } = found;
    const row = await new TenantDb(options.db, claims.tenantId).selectFrom('followups').select(['subject', 'recipients', 'status']).where('id', '=', claims.followUpId).where('user_id', '=', claims.userId).executeTakeFirst();
    if (!row) return page(reply, 404, lang, 'bad', w.failed, `<p>${escapeHtml(w.invalid)}</p>`);
    const to = (JSON.parse(row.recipients) as string[]).join(', ');
    return page(
      reply,
      200,
      lang,
      'ask',
      `${w.ask}: ${row.subject || to}`,
      `<p>${escapeHtml(fill(w.to, { to }))}</p>${row.status === 'replied' ? `<p class="hint">${escapeHtml(w.replied)}</p>` : ''}<p>${escapeHtml(w.what)}</p><form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(w.button)}</button></form>`,
    );
  });

  app.post(PATH, route, async (request, reply) => {
    const found = await claimsOr(request, reply);
    if ('done' in found) return found.done;
    const { claims, lang, w, box } = found;
    try {
      const filed = await fileFollowUpDraft({ db: options.db, box, adapterFor: options.adapterFor, renderer: options.renderer }, claims, now());
      const link = filed.webLink ? `<p><a class="button" href="${escapeHtml(filed.webLink)}">${escapeHtml(w.open)}</a></p>` : '';
      return page(reply, 201, lang, 'ok', w.filed, `<p>${escapeHtml(fill(w.where, { subject: filed.subject, folder: filed.folder, mailbox: filed.mailbox }))}</p>${link}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 && error.status !== 502) throw error;
      return page(reply, error.status, lang, 'bad', w.failed, `<p>${escapeHtml(error.message)}</p>`);
    }
  });
};
