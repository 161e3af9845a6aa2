import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScratchDatabase } from '../postgres.js';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { newId, type TenantDb } from '../../src/server/db/tenant-db.js';
import type { ConversationRow, MailMessageRow } from '../../src/server/db/tables.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser, createGroup } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { configureTeamInbox, routingRules } from '../../src/server/services/team-inbox.js';
import { PageMemo, teamInboxHook } from '../../src/server/mail/hooks.js';
import type { FetchedMessage } from '../../src/server/mail/types.js';
import { runClockPass } from '../../src/server/jobs/team-inbox-clock.js';
import { routeInquiry, type Inquiry } from '../../src/core/teaminbox/rules.js';
import { inferTimeZone } from '../../src/core/clienttime/infer.js';
import { operator, seedTenant, type SeededTenant } from '../../test/support/fixtures.js';
import { compare, median, percentile, sortedCopy, type Row } from '../measure.js';
import { chromium, type Browser } from 'playwright-core';
import { ensureFacesBuilt } from '../../test/support/build-faces.mjs';
import { CHROMIUM_PATH, collectPageErrors } from '../../test/support/browser.js';
import { testApp } from '../../test/support/fixtures.js';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import { EMPTY_PUBLIC_PATH, ensureEmptyPageBuilt } from '../empty-page/build.js';

/**
 * The team inbox at the sizes of issue #15 (docs/performance.md, "Team inbox"):
 *
 * - **Routing**: 10,000 arriving inquiries through the sync's own hook (`teamInboxHook`, inside a
 *   page transaction of 100 as the sync runs it) against a pack of 29 routing rules of realistic
 *   size (keywords in zh/en/es/ar, countries, languages, known customers, attachments, ownership,
 *   round robin, least open, region and letter tables, tags, notifications, the
 *   auto-acknowledgement claimed), on SQLite and PostgreSQL; beside it the pure decision
 *   (`routeInquiry` in src/core) over the same inquiries.
 * - **The list at `/inbox`**: 50,000 unassigned conversations in one inbox; a rep opens `/inbox` cold in headless
 *   Chromium (fresh context, cache off): time from navigation start to the first rows of the list
 *   painted, median and p95 of 10 loads, beside the empty React + Fluent UI page loaded the same
 *   way; and one page of the list API (in process) p50/p99.
 * - **Clock pass**: `runClockPass` over 100,000 open conversations of which 1,500 have just
 *   fallen due (1,000 warnings, 500 breaches) and 8,000 breached earlier: the passes it takes to
 *   tell them all, then the every-minute pass with nothing new.
 */
const INQUIRIES = Number(process.env.BENCH_TEAM_INQUIRIES ?? 10_000);
const LISTED = Number(process.env.BENCH_TEAM_LISTED ?? 50_000);
const PAGE_RUNS = Number(process.env.BENCH_TEAM_PAGE_RUNS ?? 10);
const OPEN = Number(process.env.BENCH_TEAM_OPEN ?? 100_000);
const PAGE = 100; // the sync's page: one transaction
const WARMUP = 200;
const DEMO_PACK = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');

const REPS = {
  gulf: ['linda', 'karim', 'fatima'],
  europe: ['anna', 'gus', 'nina'],
  asia: ['wei', 'mei', 'hiro'],
  latam: ['diego', 'sofia', 'pablo'],
} as const;
const DOMAIN = 'acme-export.test';
const rep = (name: string) => `${name}@${DOMAIN}`;

/** 29 rules as an export company's info@ has them after a year: tags first, then who gets it. */
const ROUTING_PACK = (inboxGroup: string) => `pack: routing
title: Routing of info@
groups: ["${inboxGroup}"]
defaultLanguage: en
routing:
  rules:
    - name: quote-en
      when: {words: [quote, quotation, price list, proforma, rfq, best price, fob, cif, moq, offer]}
      tag: [high-intent]
    - name: quote-zh
      when: {words: [报价, 询价, 价格表, 形式发票, 最低起订量]}
      tag: [high-intent]
    - name: quote-es
      when: {words: [cotización, presupuesto, lista de precios, precio, proforma]}
      tag: [high-intent]
    - name: quote-ar
      when: {words: [عرض سعر, قائمة الأسعار, فاتورة مبدئية, السعر]}
      tag: [high-intent]
    - name: samples
      when: {words: [sample, samples, 样品, muestra, muestras, عينة, عينات]}
      tag: [samples]
    - name: complaint
      when: {words: [complaint, damaged, broken, defect, 投诉, 破损, reclamación, dañado, شكوى, تالف]}
      tag: [complaint]
      notify: [manager]
    - name: urgent
      when: {words: [urgent, asap, 紧急, urgente, عاجل], in: subject}
      tag: [urgent]
    - name: tender
      when: {words: [tender, bid, 招标, licitación, مناقصة]}
      tag: [tender]
      notify: [manager]
    - name: drawings
      when: {attachments: true, words: [drawing, specification, 图纸, plano, مخطط]}
      tag: [drawings]
    - name: attachments
      when: {attachments: true}
      tag: [attachment]
    - name: known-customer
      when: {knownCustomer: true}
      tag: [customer]
    - name: new-buyer
      when: {knownCustomer: false}
      tag: [new-buyer]
    - name: chinese
      when: {languages: [zh]}
      tag: [zh]
    - name: arabic
      when: {languages: [ar]}
      tag: [ar]
    - name: spanish
      when: {languages: [es]}
      tag: [es]
    - name: distribution
      when: {words: [distributor, exclusive agent, 代理, 经销商, distribuidor, موزع, وكيل]}
      tag: [distribution]
      notify: [manager]
    - name: volume
      when: {words: [container, containers, 40ft, 货柜, 集装箱, contenedor, حاوية]}
      tag: [volume]
    - name: not-sales
      when: {words: [cv, resume, job application, 简历, currículum, سيرة ذاتية]}
      tag: [not-sales]
    - name: seo-spam
      when: {words: [seo, backlinks, website redesign, guest post], in: body}
      tag: [spam]
    - name: gulf-vip
      when: {countries: [SA], knownCustomer: true}
      assign: {to: ${rep('linda')}}
    - name: gulf
      when: {countries: [SA, AE, QA, KW, BH, OM]}
      assign: {regions: {SA: ${rep('linda')}, AE: ${rep('linda')}, QA: ${rep('karim')}, KW: ${rep('karim')}, BH: ${rep('fatima')}, OM: ${rep('fatima')}}}
    - name: middle-east-africa
      when: {countries: [EG, JO, MA, NG, KE, ZA, TR]}
      assign: {group: gulf, by: least-open}
    - name: chinese-speakers
      when: {languages: [zh]}
      assign: {group: asia, by: least-open}
    - name: asia
      when: {countries: [CN, JP, KR, VN, TH, ID, MY, SG, IN, PH]}
      assign: {group: asia, by: round-robin}
    - name: spain
      when: {countries: [ES]}
      assign: {to: ${rep('sofia')}}
    - name: latin-america
      when: {countries: [MX, BR, AR, CL, CO, PE, EC]}
      assign: {group: latam, by: round-robin}
    - name: europe-by-company
      when: {countries: [DE, FR, IT, NL, PL, GB, BE, AT, CH, SE, DK, CZ]}
      assign: {letters: {A-F: ${rep('anna')}, G-M: ${rep('gus')}, N-Z: ${rep('nina')}, other: ${rep('nina')}}}
    - name: north-america
      when: {countries: [US, CA]}
      assign: {group: europe, by: least-open}
    - name: everyone-else
      assign: {by: round-robin}
`;

interface Sender {
  domain: string;
  country: string | null;
  language: string;
  dateHeaderOffset: string;
}
const SENDERS: Sender[] = [
  { domain: 'gulf-trading.com.sa', country: 'SA', language: 'ar', dateHeaderOffset: '+0300' },
  { domain: 'alfanar-trading.sa', country: 'SA', language: 'ar', dateHeaderOffset: '+0300' },
  { domain: 'dubai-build.ae', country: 'AE', language: 'en', dateHeaderOffset: '+0400' },
  { domain: 'doha-steel.qa', country: 'QA', language: 'ar', dateHeaderOffset: '+0300' },
  { domain: 'hamburg-import.de', country: 'DE', language: 'en', dateHeaderOffset: '+0100' },
  { domain: 'zeta-bau.de', country: 'DE', language: 'en', dateHeaderOffset: '+0100' },
  { domain: 'lyon-carrelage.fr', country: 'FR', language: 'en', dateHeaderOffset: '+0100' },
  { domain: 'madrid-obras.es', country: 'ES', language: 'es', dateHeaderOffset: '+0100' },
  { domain: 'monterrey-ferre.com.mx', country: 'MX', language: 'es', dateHeaderOffset: '-0600' },
  { domain: 'santiago-import.cl', country: 'CL', language: 'es', dateHeaderOffset: '-0300' },
  { domain: 'shanghai-build.cn', country: 'CN', language: 'zh', dateHeaderOffset: '+0800' },
  { domain: 'osaka-kiki.jp', country: 'JP', language: 'en', dateHeaderOffset: '+0900' },
  { domain: 'lagos-depot.ng', country: 'NG', language: 'en', dateHeaderOffset: '+0100' },
  { domain: 'cairo-pumps.com.eg', country: 'EG', language: 'ar', dateHeaderOffset: '+0200' },
  { domain: 'texas-supply.us', country: 'US', language: 'en', dateHeaderOffset: '-0600' },
  { domain: 'gmail.com', country: null, language: 'en', dateHeaderOffset: '+0530' },
  { domain: 'qq.com', country: null, language: 'zh', dateHeaderOffset: '+0800' },
];

const TEXTS: Record<string, { subjects: string[]; paragraphs: string[] }> = {
  en: {
    subjects: ['Inquiry: ceramic tiles 60x60', 'Request for quotation - submersible pumps', 'URGENT: price list for steel pipes', 'Samples of LED panels', 'Complaint about order 4471: damaged cartons', 'Distributor for Nigeria', 'Question about delivery time', 'Tender 2026/118 invitation to bid', 'Website redesign offer', 'Re: our last shipment'],
    paragraphs: [
      'Dear sir or madam, we are a building materials importer with three warehouses and we are looking for a reliable supplier.',
      'Please send your best price FOB Ningbo for two 40ft containers, with your MOQ and the lead time.',
      'We would also like to receive samples before we place the first order. The drawing and the specification are attached.',
      'Our customers complain that the last delivery arrived with broken tiles; please tell us how you will handle it.',
      'We are interested in becoming your exclusive agent for our region and would like to discuss terms.',
      'Kind regards, purchasing department. This e-mail and any attachments are confidential and intended solely for the addressee.',
    ],
  },
  zh: {
    subjects: ['询价：陶瓷砖', '水泵报价请求', '紧急：钢管价格表', '样品申请', '关于订单4471的投诉', '经销商合作'],
    paragraphs: ['您好，我们是一家建材进口商，正在寻找可靠的供应商。', '请提供宁波离岸价报价，两个40尺货柜，以及最低起订量和交货期。', '我们希望在下单前先收到样品，图纸已附上。', '上一批货物有破损，请尽快处理。', '我们希望成为贵公司在本地区的经销商。'],
  },
  es: {
    subjects: ['Solicitud de cotización: bombas', 'Lista de precios de azulejos', 'Urgente: presupuesto tubos de acero', 'Muestras de paneles LED', 'Reclamación pedido 4471'],
    paragraphs: ['Estimados señores, somos importadores de materiales de construcción y buscamos un proveedor fiable.', 'Por favor envíen su mejor precio FOB para dos contenedores de 40 pies, con la cantidad mínima.', 'Nos gustaría recibir muestras antes del primer pedido; adjuntamos el plano.', 'Queremos ser su distribuidor exclusivo en la región.'],
  },
  ar: {
    subjects: ['طلب عرض سعر: مضخات', 'قائمة الأسعار للبلاط', 'عاجل: أنابيب الصلب', 'طلب عينات', 'شكوى بخصوص الطلب 4471'],
    paragraphs: ['السادة المحترمون، نحن مستوردون لمواد البناء ونبحث عن مورد موثوق.', 'يرجى إرسال أفضل سعر لحاويتين مع الحد الأدنى للطلب ومدة التسليم.', 'نود الحصول على عينات قبل الطلب الأول، والمخطط مرفق.', 'وصلت الشحنة الأخيرة تالفة، نرجو المعالجة.', 'نرغب في أن نكون الموزع الحصري لكم في المنطقة.'],
  },
};

/** A deterministic generator: the same inquiries in every run and on both databases. */
function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TeamSetup {
  t: SeededTenant;
  mailbox: { id: string; address: string; tenantId: string };
  inboxId: string;
  customers: { id: string; domain: string }[];
}

async function setUp(store: Store, slug: string): Promise<TeamSetup> {
  await migrate(store);
  const t = await seedTenant(store, slug);
  const op = operator(t.tenantId);
  for (const [group, names] of Object.entries(REPS)) {
    await createGroup(t.tdb, op, { slug: group });
    for (const name of names) await addUser(t.tdb, op, { email: rep(name), name: name[0]!.toUpperCase() + name.slice(1), groups: [t.groupSlug, group] });
  }
  await pushPack(t.tdb, op, DEMO_PACK.replace(/groups: \[sales-eu, sales-me\]/, `groups: ["${t.groupSlug}"]`));
  await pushPack(t.tdb, op, ROUTING_PACK(t.groupSlug));
  const box = new SecretBox(randomBytes(32));
  const address = `info@${DOMAIN}`;
  const mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 })).id;
  const inbox = await configureTeamInbox(t.tdb, op, mailboxId, { groups: [t.groupSlug], manager: t.admin.email, calendar: { country: 'CN', timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' }, acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' } });
  // Known customers: one per sender domain but free mail, half of them owned by a rep.
  const customers: TeamSetup['customers'] = [];
  const owners = Object.values(REPS).flat();
  const users = await t.tdb.selectFrom('users').select(['id', 'email']).execute();
  for (const [i, s] of SENDERS.entries()) {
    if (s.country === null) continue;
    const name = s.domain.split('.')[0]!.replace(/-/g, ' ');
    const c = await createCustomer(t.tdb, op, { name, domains: [s.domain], ...(s.country ? { country: s.country } : {}) });
    if (i % 2 === 0) await t.tdb.updateTable('customers', { owner_id: users.find((u) => u.email === rep(owners[i % owners.length]!))!.id }).where('id', '=', c.id).execute();
    customers.push({ id: c.id, domain: s.domain });
  }
  return { t, mailbox: { id: mailboxId, address, tenantId: t.tenantId }, inboxId: inbox.id, customers };
}

interface Arrival {
  conversation: Omit<ConversationRow, 'tags' | 'team_inbox_id' | 'clock_started_at' | 'warn_at' | 'due_at' | 'responded_at' | 'warned_at' | 'breached_at' | 'assigned_at' | 'closed_at'>;
  message: MailMessageRow;
  body: string;
  customerIds: string[];
}

function inquiries(setup: TeamSetup, count: number, seed: number, start: Date): Arrival[] {
  const rnd = mulberry(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: Arrival[] = [];
  for (let i = 0; i < count; i++) {
    const s = pick(SENDERS);
    const texts = TEXTS[s.language]!;
    const subject = pick(texts.subjects);
    const body = Array.from({ length: 3 + Math.floor(rnd() * 5) }, () => pick(texts.paragraphs)).join('\n\n');
    const from = `buyer${i}@${s.domain}`;
    const known = setup.customers.find((c) => c.domain === s.domain && rnd() < 0.6);
    const at = new Date(start.getTime() + i * 7_000).toISOString();
    const id = newId();
    const messageId = newId();
    const attachments = rnd() < 0.25 ? JSON.stringify([{ name: 'drawing.pdf', contentType: 'application/pdf' }]) : '[]';
    out.push({
      conversation: { id, tenant_id: setup.t.tenantId, subject, subject_key: subject.toLowerCase(), participants: JSON.stringify([from]), customer_ids: JSON.stringify(known ? [known.id] : []), customer_id: known?.id ?? null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at },
      message: { id: messageId, tenant_id: setup.t.tenantId, mailbox_id: setup.mailbox.id, conversation_id: id, provider_id: messageId, folder: 'inbox', message_key: `${messageId}@mail.test`, second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: from, from_domain: s.domain, from_name: null, to_addresses: JSON.stringify([{ address: setup.mailbox.address }]), cc_addresses: '[]', date_header: `Wed, 03 Dec 2025 10:00:00 ${s.dateHeaderOffset}`, utc_offset_minutes: null, received_at: at, subject, direction: 'inbound', size_bytes: body.length + 800, attachments, auto_verdict: 'none', language: s.language, excerpt: body.slice(0, 200), created_at: at },
      body,
      customerIds: known ? [known.id] : [],
    });
  }
  return out;
}

/** Rows in chunks (bind-parameter limits: SQLite 32,766, PostgreSQL 65,535). */
async function insertMany<T extends 'conversations' | 'mail_messages'>(store: Store, table: T, rows: readonly object[], perChunk = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += perChunk) await store.db.insertInto(table).values(rows.slice(i, i + perChunk) as never).execute();
}

interface RoutingOutcome {
  perInquiryMs: number[];
  totalMs: number;
  assigned: number;
}

/** The sync's path: each page of 100 one transaction, the hook per stored message, as mail/sync.ts runs it. */
async function routeThroughHook(store: Store, setup: TeamSetup, arrivals: Arrival[]): Promise<RoutingOutcome> {
  await insertMany(store, 'conversations', arrivals.map((a) => a.conversation));
  await insertMany(store, 'mail_messages', arrivals.map((a) => a.message));
  const perInquiryMs: number[] = [];
  const t0 = performance.now();
  for (let p = 0; p < arrivals.length; p += PAGE) {
    await setup.t.tdb.transaction(async (tdb: TenantDb) => {
      const page = new PageMemo();
      for (const a of arrivals.slice(p, p + PAGE)) {
        const { tenant_id: _tenant, ...message } = a.message;
        const s = performance.now();
        await teamInboxHook({
          tdb,
          mailbox: setup.mailbox,
          message,
          conversation: { id: a.conversation.id, created: true, subject: a.conversation.subject, customerIds: a.customerIds, lastWriter: 'buyer', lastInboundAt: message.received_at, lastOutboundAt: null },
          // The hook reads the text body only; the rest of what the provider gave does not enter routing.
          fetched: { textBody: a.body } as FetchedMessage,
          live: true,
          at: new Date(message.received_at),
          page,
        });
        perInquiryMs.push(performance.now() - s);
      }
    });
  }
  const totalMs = performance.now() - t0;
  const ids = arrivals.map((a) => a.conversation.id);
  let assigned = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await store.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids.slice(i, i + 500)).where('assignee_id', 'is not', null).executeTakeFirstOrThrow();
    assigned += Number(r.n);
  }
  return { perInquiryMs, totalMs, assigned };
}

/** The decision alone (src/core), with the facts the hook gathers gathered beforehand. */
async function routePure(setup: TeamSetup, arrivals: Arrival[]): Promise<{ perInquiryMs: number[]; totalMs: number }> {
  const rules = await routingRules(setup.t.tdb);
  const customers = new Map((await setup.t.tdb.selectFrom('customers').select(['id', 'owner_id', 'name']).execute()).map((c) => [c.id, c]));
  const facts: Inquiry[] = arrivals.map((a) => {
    const customer = a.customerIds[0] ? customers.get(a.customerIds[0]) : undefined;
    return {
      inbox: setup.mailbox.address,
      subject: a.message.subject,
      body: a.body,
      senderCountry: inferTimeZone({ email: a.message.from_address!, dateHeader: a.message.date_header! }).country,
      language: a.message.language,
      knownCustomer: customer !== undefined,
      attachments: (JSON.parse(a.message.attachments) as unknown[]).length,
      ownerId: customer?.owner_id ?? null,
      company: customer?.name ?? null,
    };
  });
  for (const f of facts.slice(0, WARMUP)) routeInquiry(rules, f);
  const perInquiryMs: number[] = [];
  const t0 = performance.now();
  for (const f of facts) {
    const s = performance.now();
    routeInquiry(rules, f);
    perInquiryMs.push(performance.now() - s);
  }
  return { perInquiryMs, totalMs: performance.now() - t0 };
}

async function routingRows(store: Store, where: string, slug: string): Promise<Row[]> {
  const setup = await setUp(store, slug);
  const start = new Date('2025-12-03T01:00:00.000Z');
  const warm = inquiries(setup, WARMUP, 7, new Date(start.getTime() - 86_400_000));
  await routeThroughHook(store, setup, warm);
  const arrivals = inquiries(setup, INQUIRIES, 42, start);
  const hook = await routeThroughHook(store, setup, arrivals);
  const sorted = sortedCopy(hook.perInquiryMs);
  const rows: Row[] = [
    { section: 'team', name: `routing ${INQUIRIES.toLocaleString('en')} inquiries through the sync hook, ${where}: decisions/s`, value: (INQUIRIES / hook.totalMs) * 1000, unit: 'decisions/s', higherIsBetter: true, note: `${(hook.totalMs / 1000).toFixed(1)} s with the page commits; ${hook.assigned.toLocaleString('en')} assigned; 29 rules, pages of ${PAGE}` },
    { section: 'team', name: `routing through the sync hook, ${where}: p99 per inquiry`, value: percentile(sorted, 99), unit: 'ms', higherIsBetter: false, note: `p50 ${percentile(sorted, 50).toFixed(2)} ms` },
  ];
  if (where === 'SQLite') {
    const pure = await routePure(setup, arrivals);
    const p = sortedCopy(pure.perInquiryMs);
    rows.unshift(
      { section: 'team', name: 'routing decision alone (src/core, 29 rules): decisions/s', value: (INQUIRIES / pure.totalMs) * 1000, unit: 'decisions/s', higherIsBetter: true, note: `the same ${INQUIRIES.toLocaleString('en')} inquiries, facts gathered beforehand` },
      { section: 'team', name: 'routing decision alone: p99 per inquiry', value: percentile(p, 99), unit: 'ms', higherIsBetter: false, note: `p50 ${percentile(p, 50).toFixed(3)} ms` },
    );
  }
  return rows;
}

/** 100,000 open conversations in the inbox: most running, some just due, a backlog told before. */
async function seedOpen(store: Store, setup: TeamSetup, now: Date): Promise<{ warnDue: number; breachDue: number }> {
  const users = (await setup.t.tdb.selectFrom('users').select(['id']).execute()).map((u) => u.id);
  const rnd = mulberry(99);
  const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const H = 3_600_000;
  let warnDue = 0;
  let breachDue = 0;
  const rows: object[] = [];
  for (let i = 0; i < OPEN; i++) {
    // 1 % newly past 75 %, 0.5 % newly past the target, 8 % breached and told earlier, the rest running.
    const kind = i % 200 < 2 ? 'warn' : i % 200 === 2 ? 'breach' : i % 200 < 19 ? 'told' : 'running';
    const started = kind === 'running' ? -rnd() * 20 * H : -(30 + rnd() * 100) * H;
    const warnAt = kind === 'warn' ? -rnd() * H : kind === 'running' ? (1 + rnd() * 60) * H : -(10 + rnd() * 10) * H;
    const dueAt = kind === 'warn' ? (2 + rnd() * 8) * H : kind === 'running' ? warnAt + 8 * H : -rnd() * H;
    if (kind === 'warn') warnDue++;
    if (kind === 'breach') breachDue++;
    const at = iso(started);
    const assignee = rnd() < 0.7 ? users[i % users.length]! : null;
    rows.push({
      id: newId(), tenant_id: setup.t.tenantId, subject: `Inquiry ${i}`, subject_key: `inquiry ${i}`, participants: JSON.stringify([`buyer${i}@example.de`]), customer_ids: '[]', customer_id: null,
      first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0,
      state: assignee ? 'assigned' : 'new', assignee_id: assignee, first_response_at: null, team_inbox_id: setup.inboxId, tags: '[]',
      clock_started_at: at, warn_at: iso(warnAt), due_at: iso(dueAt), responded_at: null,
      warned_at: kind === 'running' || kind === 'warn' ? null : iso(warnAt), breached_at: kind === 'told' ? iso(dueAt) : null,
      assigned_at: assignee ? at : null, closed_at: null, created_at: at, updated_at: at,
    });
  }
  await insertMany(store, 'conversations', rows, 300);
  return { warnDue, breachDue };
}

async function clockRows(store: Store, where: string, slug: string): Promise<Row[]> {
  const setup = await setUp(store, slug);
  const now = new Date();
  const { warnDue, breachDue } = await seedOpen(store, setup, now);
  // Passes until everything due is told (each pass as the job runs it, once a minute).
  let passes = 0;
  let told = 0;
  const t0 = performance.now();
  for (;;) {
    const r = await runClockPass(store.db, now);
    passes++;
    told += r.warned + r.breached;
    if (r.warned + r.breached === 0 || passes > 50) break;
  }
  const dueMs = performance.now() - t0;
  const idle: number[] = [];
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    await runClockPass(store.db, now);
    idle.push(performance.now() - s);
  }
  const sorted = sortedCopy(idle);
  const open = `${OPEN.toLocaleString('en')} open`;
  return [
    { section: 'team', name: `clock pass, ${open}, ${where}: ${(warnDue + breachDue).toLocaleString('en')} just due told`, value: dueMs, unit: 'ms', higherIsBetter: false, note: `${passes} pass(es) (the last finds nothing); ${told} told: ${warnDue} warnings, ${breachDue} breaches, each a transaction with its event, mail claim and audit` },
    { section: 'team', name: `clock pass, ${open}, ${where}: nothing due (median)`, value: percentile(sorted, 50), unit: 'ms', higherIsBetter: false, note: `p99 (slowest of 7) ${percentile(sorted, 99).toFixed(1)} ms; the every-minute pass of every instance` },
  ];
}

/**
 * Watches for the target and reports when the frame after it is painted (the taskpane section's
 * rule: the first frame with the target laid out, then the task after that frame) through a
 * binding, so the page is never asked anything while it loads: polling it with `waitForFunction`
 * made Playwright evaluate its injected script (~40–100 ms of main thread under load, in a
 * Chromium trace) in the page right after its load event, where it delayed a first render that
 * waits for the network, as /inbox's does. Plain text: tsx rewrites functions' own text.
 */
const watchFor = (selector: string) => `(() => {
  const selector = ${JSON.stringify(selector)};
  const painted = () => requestAnimationFrame(() => {
    const box = document.querySelector(selector)?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return painted();
    setTimeout(() => window.__benchPainted(performance.now()));
  });
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    painted();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Where a cold load's time went, read from the page's resource timings once it has painted. */
interface LoadPhases {
  /** The HTML answered. */
  html: number;
  /** The last script the first paint needed arrived. */
  scripts: number;
  /** The last API answer before the paint arrived (NaN: none). */
  api: number;
}

/**
 * Nothing may leave this machine: every host but the store's loopback address fails to resolve.
 * Said to Chromium rather than through Playwright's request routing, which holds every request of
 * the page (scripts and API calls alike) until the bench's process has looked at it: that round trip
 * was in every measured load, ~60–180 ms to a script's first byte on this machine.
 */
const HOST_RULES = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1';

async function coldLoad(browser: Browser, url: string, selector: string, phases?: LoadPhases[]): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
  let timer: NodeJS.Timeout | undefined;
  try {
    let report!: (ms: number) => void;
    const painted = new Promise<number>((resolve, reject) => {
      report = resolve;
      timer = setTimeout(() => reject(new Error(`${url}: ${selector} not painted within 30 s`)), 30_000);
    });
    await context.exposeBinding('__benchPainted', (_source, ms: number) => report(ms));
    await context.addInitScript({ content: watchFor(selector) });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(url);
    const ms = await painted;
    const bugs = errors.filter((e) => !/ERR_FAILED|net::/.test(e));
    if (bugs.length) throw new Error(`${url} failed while measured:\n${bugs.join('\n')}`);
    // Read after the paint, so the measured load was never asked anything (plain text, as watchFor).
    if (phases)
      phases.push(
        (await page.evaluate(`(() => {
          const paint = ${ms};
          const before = performance.getEntriesByType('resource').filter((r) => r.startTime < paint);
          const last = (list) => (list.length ? Math.max(...list.map((r) => r.responseEnd)) : NaN);
          const api = before.filter((r) => new URL(r.name).pathname.startsWith('/api/'));
          // The HTML's own scripts (deferred), not the chunks the page asks for after its first render.
          const own = new Set([...document.querySelectorAll('script[defer][src]')].map((s) => s.src));
          return { html: performance.getEntriesByType('navigation')[0].responseEnd, scripts: last(before.filter((r) => own.has(r.name))), api: last(api) };
        })()`)) as LoadPhases,
      );
    return ms;
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}

async function inboxRows(): Promise<Row[]> {
  if (!existsSync(CHROMIUM_PATH)) return [{ section: 'team', name: '/inbox', value: NaN, unit: '', higherIsBetter: false, note: `not measured: Chromium not found at ${CHROMIUM_PATH}` }];
  const faces = await ensureFacesBuilt();
  const empty = await ensureEmptyPageBuilt();
  const work = mkdtempSync(join(tmpdir(), 'tp-bench-inbox-'));
  const served = join(work, 'dist');
  mkdirSync(served);
  for (const name of readdirSync(faces)) symlinkSync(join(faces, name), join(served, name));
  symlinkSync(empty, join(served, EMPTY_PUBLIC_PATH.split('/').filter(Boolean).pop()!));
  const store = openStore({ databaseUrl: undefined, dataDir: join(work, 'data') });
  let browser: Browser | undefined;
  const signer = await loadDevSigner(join(work, 'keys'));
  const app = await testApp(store, {}, { addinDir: served, devSigner: signer });
  try {
    const setup = await setUp(store, 'benchinbox');
    const repRow = await setup.t.tdb.selectFrom('users').select(['id', 'email']).where('email', '=', rep('anna')).executeTakeFirstOrThrow();
    const now = Date.now();
    const rows = Array.from({ length: LISTED }, (_, i) => {
      const at = new Date(now - (LISTED - i) * 60_000).toISOString();
      const due = new Date(now - (LISTED - i) * 60_000 + 30 * 3_600_000).toISOString();
      return { id: newId(), tenant_id: setup.t.tenantId, subject: `Inquiry ${i}: ceramic tiles 60x60, two containers`, subject_key: `inquiry ${i}`, participants: JSON.stringify([`buyer${i}@hamburg-import.de`]), customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: setup.inboxId, tags: i % 3 ? '[]' : '["high-intent"]', clock_started_at: at, warn_at: due, due_at: due, created_at: at, updated_at: at };
    });
    await insertMany(store, 'conversations', rows, 300);
    const token = await signer.sign({ tenantId: setup.t.tenantId, userId: repRow.id, email: repRow.email });
    // The list API in process: the first page and a page deep in the list.
    const pageMs: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 60; i++) {
      const s = performance.now();
      const res: { statusCode: number; body: string; json: () => unknown } = await app.inject({ method: 'GET', url: `/api/v1/team-conversations?inbox=${setup.inboxId}&list=unassigned${cursor && i % 2 ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode !== 200) throw new Error(`the list answered ${res.statusCode}: ${res.body}`);
      if (i >= 10) pageMs.push(performance.now() - s);
      cursor = (res.json() as { nextCursor: string | null }).nextCursor ?? cursor;
    }
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--js-flags=--no-compilation-cache', HOST_RULES] });
    const inboxUrl = `${base}/inbox#token=${encodeURIComponent(token)}`;
    const emptyUrl = `${base}${EMPTY_PUBLIC_PATH}empty.html`;
    const LIST_ROW = '[data-testid="team-list"] tbody tr[data-index]';
    await coldLoad(browser, inboxUrl, LIST_ROW);
    await coldLoad(browser, emptyUrl, '#root > *');
    const inbox: number[] = [];
    const baseline: number[] = [];
    const phases: LoadPhases[] = [];
    const emptyPhases: LoadPhases[] = [];
    for (let i = 0; i < PAGE_RUNS; i++) {
      inbox.push(await coldLoad(browser, inboxUrl, LIST_ROW, phases));
      baseline.push(await coldLoad(browser, emptyUrl, '#root > *', emptyPhases));
    }
    const v = sortedCopy(inbox);
    const e = sortedCopy(baseline);
    const p = sortedCopy(pageMs);
    const n = LISTED.toLocaleString('en');
    const phase = (key: keyof LoadPhases, of = phases) => median(sortedCopy(of.map((x) => x[key]))).toFixed(0);
    return [
      compare({ section: 'team', name: `/inbox, ${n} conversations: list visible, median`, value: median(v), unit: 'ms', higherIsBetter: false, baseline: { name: 'empty React + Fluent UI page, first element', value: median(e) } }),
      compare({ section: 'team', name: `/inbox, ${n} conversations: list visible, p95`, value: percentile(v, 95), unit: 'ms', higherIsBetter: false, baseline: { name: `empty page p95 (${PAGE_RUNS} cold loads each)`, value: percentile(e, 95) } }),
      { section: 'team', name: `/inbox cold load: where the time goes (medians)`, value: median(v), unit: 'ms', higherIsBetter: false, note: `HTML answered at ${phase('html')} ms, the first paint's scripts in at ${phase('scripts')} ms, the API's answers in at ${phase('api')} ms, the list painted at ${median(v).toFixed(0)} ms; the empty page: HTML ${phase('html', emptyPhases)} ms, scripts ${phase('scripts', emptyPhases)} ms, painted ${median(e).toFixed(0)} ms` },
      { section: 'team', name: `list API, one page of ${n} (in process): p99`, value: percentile(p, 99), unit: 'ms', higherIsBetter: false, note: `p50 ${percentile(p, 50).toFixed(1)} ms; 100 rows a page, first pages and pages after a cursor, SQLite` },
    ];
  } finally {
    await browser?.close();
    await app.close();
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** `BENCH_TEAM_PARTS=routing,clock,inbox` (default all) runs some of the three. */
const PARTS = (process.env.BENCH_TEAM_PARTS ?? 'routing,clock,inbox').split(',');

export async function teamSection(): Promise<Row[]> {
  const out: Row[] = [];
  const sqlite = () => openStore({ databaseUrl: undefined, dataDir: mkdtempSync(join(tmpdir(), 'tp-bench-team-')) });
  const onSqlite = async (work: (store: Store) => Promise<Row[]>) => {
    const store = sqlite();
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  // PostgreSQL: each part in a scratch database of its own (the clock pass reads every tenant's queue).
  const onPostgres = (name: string, work: (store: Store) => Promise<Row[]>) =>
    withScratchDatabase('team', name, async (url) => {
      const pgStore = openStore({ databaseUrl: url, dataDir: mkdtempSync(join(tmpdir(), 'tp-bench-team-')) });
      try {
        return await work(pgStore);
      } finally {
        await pgStore.close();
      }
    });
  if (PARTS.includes('routing')) {
    out.push(...(await onSqlite((s) => routingRows(s, 'SQLite', 'benchroute'))));
    out.push(...(await onPostgres('tp_bench_route', (s) => routingRows(s, 'PostgreSQL', 'benchroute'))));
  }
  if (PARTS.includes('clock')) {
    out.push(...(await onSqlite((s) => clockRows(s, 'SQLite', 'benchclock'))));
    out.push(...(await onPostgres('tp_bench_clock', (s) => clockRows(s, 'PostgreSQL', 'benchclock'))));
  }
  if (PARTS.includes('inbox')) out.push(...(await inboxRows()));
  return out;
}
