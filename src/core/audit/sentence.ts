import { interpolate, type UiLanguage } from '../i18n/index.js';

/**
 * The audit log in words: "Wang Fang published demo-export v3 to sales-eu", in English or
 * Simplified Chinese, from an entry's action and details (what services/audit.ts records). An
 * action without wording here still reads as a sentence with its code, so nothing is hidden. The
 * CSV export says the same sentence next to the raw columns.
 */

export interface AuditFacts {
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string | null };
  details: Record<string, unknown>;
}

type Wording = Record<UiLanguage, string>;

/** Sentences by action; `{actor}` and detail names in braces, lists joined per language. */
const SENTENCES: Record<string, Wording | ((d: Record<string, unknown>) => Wording)> = {
  'pack.pushed': (d) =>
    d.unchanged
      ? { en: '{actor} saved {pack} again, unchanged (v{version})', 'zh-CN': '{actor} 再次保存了 {pack}，内容未变（第 {version} 版）' }
      : list(d.publishedTo).length
        ? { en: '{actor} saved {pack} v{version} and published it to {publishedTo}', 'zh-CN': '{actor} 保存了 {pack} 第 {version} 版并发布到 {publishedTo}' }
        : { en: '{actor} saved {pack} v{version}', 'zh-CN': '{actor} 保存了 {pack} 第 {version} 版' },
  'pack.published': { en: '{actor} published {pack} v{version} to {groups}', 'zh-CN': '{actor} 将 {pack} 第 {version} 版发布到 {groups}' },
  'pack.rolled_back': { en: '{actor} rolled {pack} back to v{version} for {audiences}', 'zh-CN': '{actor} 将 {audiences} 的 {pack} 回滚到第 {version} 版' },
  'pack.unpublished': { en: '{actor} stopped publishing {pack} to {audience}', 'zh-CN': '{actor} 停止向 {audience} 发布 {pack}' },
  'user.added': { en: '{actor} added {email} as {role}', 'zh-CN': '{actor} 添加了 {email}（角色：{role}）' },
  'user.updated': { en: '{actor} changed {email}: {changes}', 'zh-CN': '{actor} 修改了 {email}：{changes}' },
  'user.disabled': (d) =>
    d.revokedKeys === undefined
      ? { en: '{actor} disabled {email}', 'zh-CN': '{actor} 停用了 {email}' }
      : { en: '{actor} disabled {email} ({revokedKeys} API keys revoked, {stoppedSends} scheduled mails stopped)', 'zh-CN': '{actor} 停用了 {email}（吊销 {revokedKeys} 个 API 密钥，停止 {stoppedSends} 封定时邮件）' },
  'user.enabled': { en: '{actor} enabled {email} again', 'zh-CN': '{actor} 重新启用了 {email}' },
  'group.created': { en: '{actor} created the group {slug}', 'zh-CN': '{actor} 创建了分组 {slug}' },
  'group.deleted': { en: '{actor} deleted the group {slug}', 'zh-CN': '{actor} 删除了分组 {slug}' },
  'group.member_added': { en: '{actor} added {email} to {group}', 'zh-CN': '{actor} 将 {email} 加入 {group}' },
  'group.member_removed': { en: '{actor} removed {email} from {group}', 'zh-CN': '{actor} 将 {email} 移出 {group}' },
  'api_key.created': { en: '{actor} created the API key "{name}" for {user}', 'zh-CN': '{actor} 为 {user} 创建了 API 密钥“{name}”' },
  'api_key.revoked': { en: '{actor} revoked the API key "{name}"', 'zh-CN': '{actor} 吊销了 API 密钥“{name}”' },
  'connector.created': { en: '{actor} set up the {kind} connector "{name}"', 'zh-CN': '{actor} 设置了 {kind} 连接器“{name}”' },
  'connector.updated': (d) =>
    d.enabled === false
      ? { en: '{actor} paused a CRM connector', 'zh-CN': '{actor} 暂停了一个 CRM 连接器' }
      : d.enabled === true
        ? { en: '{actor} resumed a CRM connector', 'zh-CN': '{actor} 恢复了一个 CRM 连接器' }
        : { en: '{actor} changed a CRM connector', 'zh-CN': '{actor} 修改了一个 CRM 连接器' },
  'delivery.replayed': { en: '{actor} sent a failed CRM delivery again', 'zh-CN': '{actor} 重新发送了一条失败的 CRM 投递' },
  'people.imported': { en: '{actor} imported people from CSV: {created} added, {updated} updated', 'zh-CN': '{actor} 从 CSV 导入人员：新增 {created}，更新 {updated}' },
  'mailbox.added': { en: '{actor} connected the mailbox {address}', 'zh-CN': '{actor} 连接了邮箱 {address}' },
  'mailbox.removed': { en: '{actor} removed the mailbox {address} and {messages} stored messages', 'zh-CN': '{actor} 移除了邮箱 {address} 及其 {messages} 封已存邮件' },
  'mailbox.tested': (d) => (d.ok ? { en: '{actor} tested a mailbox: it works', 'zh-CN': '{actor} 测试了一个邮箱：正常' } : { en: '{actor} tested a mailbox: it failed ({code})', 'zh-CN': '{actor} 测试了一个邮箱：失败（{code}）' }),
  'mailbox.paused': { en: '{actor} paused the sync of a mailbox', 'zh-CN': '{actor} 暂停了一个邮箱的同步' },
  'mailbox.resumed': { en: '{actor} resumed the sync of a mailbox', 'zh-CN': '{actor} 恢复了一个邮箱的同步' },
  'mailbox.resync': { en: '{actor} asked for a full sync of a mailbox', 'zh-CN': '{actor} 要求完整同步一个邮箱' },
  'send.rescheduled': { en: "{actor} moved {user}'s scheduled mail to {to}", 'zh-CN': '{actor} 将 {user} 的定时邮件改到 {to}' },
  'send.cancelled': { en: "{actor} cancelled {user}'s scheduled mail", 'zh-CN': '{actor} 取消了 {user} 的定时邮件' },
  'send.retried': { en: "{actor} retried {user}'s scheduled mail", 'zh-CN': '{actor} 重试了 {user} 的定时邮件' },
  'google.connected': { en: '{actor} connected the Google account {email}', 'zh-CN': '{actor} 连接了 Google 账号 {email}' },
  'google.disconnected': { en: '{actor} disconnected their Google account', 'zh-CN': '{actor} 断开了自己的 Google 账号' },
  'gmail.signatures.pushed': { en: '{actor} pushed Gmail signatures: {changed} changed, {failed} failed', 'zh-CN': '{actor} 推送了 Gmail 签名：更改 {changed}，失败 {failed}' },
  'company-profile.updated': { en: '{actor} updated the company profile', 'zh-CN': '{actor} 更新了公司资料' },
  'team-inbox.create': { en: '{actor} set up the team inbox {mailbox}', 'zh-CN': '{actor} 设置了团队收件箱 {mailbox}' },
  'team-inbox.update': { en: '{actor} changed the team inbox {mailbox}', 'zh-CN': '{actor} 修改了团队收件箱 {mailbox}' },
  'team-inbox.remove': { en: '{actor} removed a team inbox', 'zh-CN': '{actor} 移除了一个团队收件箱' },
  'team-conversation.claim': { en: '{actor} took a team conversation', 'zh-CN': '{actor} 认领了一个团队会话' },
  'team-conversation.assign': { en: '{actor} assigned a team conversation', 'zh-CN': '{actor} 分配了一个团队会话' },
  'team-conversation.unassign': { en: '{actor} released a team conversation', 'zh-CN': '{actor} 释放了一个团队会话' },
  'team-conversation.open': { en: '{actor} opened a team conversation', 'zh-CN': '{actor} 打开了一个团队会话' },
  'team-conversation.close': { en: '{actor} closed a team conversation', 'zh-CN': '{actor} 关闭了一个团队会话' },
  'team-conversation.wait': { en: '{actor} set a team conversation to wait on the buyer', 'zh-CN': '{actor} 将一个团队会话设为等待买方' },
  'team-conversation.reopen': (d) =>
    d.by === 'buyer'
      ? { en: 'The buyer wrote again: a team conversation was reopened', 'zh-CN': '买方再次来信：团队会话已重新打开' }
      : { en: '{actor} reopened a team conversation', 'zh-CN': '{actor} 重新打开了一个团队会话' },
  'team-conversation.hand-off-draft': { en: '{actor} drafted a hand-off reply in their Gmail', 'zh-CN': '{actor} 在自己的 Gmail 中起草了转交回复' },
  'team-conversation.note': { en: '{actor} wrote an internal note on a team conversation', 'zh-CN': '{actor} 在团队会话中写了内部备注' },
  'team-conversation.route': { en: 'The routing rules placed an arriving team conversation', 'zh-CN': '路由规则分派了一个新到的团队会话' },
  'team-conversation.hand-off': (d) =>
    d.via === 'own-mailbox'
      ? { en: '{actor} handed off a team conversation from their own address to {to}', 'zh-CN': '{actor} 用自己的邮箱向 {to} 发送了团队会话的转交邮件' }
      : { en: '{actor} handed off a team conversation as {from} to {to}', 'zh-CN': '{actor} 以 {from} 的身份向 {to} 发送了团队会话的转交邮件' },
  'team-mail.sent': (d) => teamMailSentence(d, { en: 'sent', 'zh-CN': '已发送' }),
  'team-mail.skipped': (d) => teamMailSentence(d, { en: 'not sent ({reason})', 'zh-CN': '未发送（{reason}）' }),
  'team-mail.failed': (d) => teamMailSentence(d, { en: 'failed ({reason})', 'zh-CN': '发送失败（{reason}）' }),
  'connector.removed': { en: '{actor} removed the {kind} connector "{name}" ({droppedPending} queued and {droppedDead} dead deliveries dropped)', 'zh-CN': '{actor} 移除了 {kind} 连接器“{name}”（丢弃 {droppedPending} 条待投递、{droppedDead} 条失败投递）' },
  'connector.tested': (d) =>
    d.ok
      ? { en: '{actor} sent a test event to "{name}": accepted', 'zh-CN': '{actor} 向“{name}”发送了测试事件：已接受' }
      : { en: '{actor} sent a test event to "{name}": refused ({reason})', 'zh-CN': '{actor} 向“{name}”发送了测试事件：被拒绝（{reason}）' },
  'directory.source_set': { en: '{actor} set up the directory sync from {provider}', 'zh-CN': '{actor} 设置了从 {provider} 同步目录' },
  'directory.synced': (d) => {
    const n = Number((d.counts as Record<string, unknown> | undefined)?.update ?? 0);
    return { en: `{actor} applied the directory sync: ${n} ${n === 1 ? 'person' : 'people'} updated`, 'zh-CN': `{actor} 应用了目录同步：更新 ${n} 人` };
  },
};

/** The team inbox's own mail (services/team-mail.ts): what it was, to whom, and what became of it. */
function teamMailSentence(d: Record<string, unknown>, outcome: { en: string; 'zh-CN': string }): { en: string; 'zh-CN': string } {
  const what: Record<string, { en: string; 'zh-CN': string }> = {
    ack: { en: 'The acknowledgement to {to}', 'zh-CN': '发给 {to} 的自动确认邮件' },
    warning: { en: 'The response-time warning to {to}', 'zh-CN': '发给 {to} 的回复时限提醒' },
    breach: { en: 'The missed-response escalation to {to}', 'zh-CN': '发给 {to} 的超时升级通知' },
    notify: { en: 'The routing notice to {to}', 'zh-CN': '发给 {to} 的路由通知' },
  };
  const w = what[String(d.kind)] ?? { en: 'A team inbox mail to {to}', 'zh-CN': '发给 {to} 的团队收件箱邮件' };
  return { en: `${w.en}: ${outcome.en}`, 'zh-CN': `${w['zh-CN']}：${outcome['zh-CN']}` };
}

/** Directory providers by the id their audit entries carry. */
const DIRECTORIES: Record<string, string> = { entra: 'Microsoft Entra ID', google: 'Google Workspace' };

/** The action groups the console filters by (the part before the first dot). */
export const AUDIT_AREAS = ['pack', 'user', 'group', 'api_key', 'connector', 'delivery', 'people', 'mailbox', 'send', 'google', 'gmail', 'company-profile', 'team-inbox', 'team-conversation', 'team-mail', 'directory'] as const;

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

function shown(value: unknown, language: UiLanguage): string {
  if (Array.isArray(value)) return value.map((v) => shown(v, language)).join(language === 'zh-CN' ? '、' : ', ');
  if (value === '*') return language === 'zh-CN' ? '所有人' : 'everyone';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return Object.keys(value).join(language === 'zh-CN' ? '、' : ', ');
  return String(value);
}

/** One entry as a sentence in the UI language. */
export function auditSentence(entry: AuditFacts, language: UiLanguage): string {
  const found = SENTENCES[entry.action];
  const wording = typeof found === 'function' ? found(entry.details) : found;
  const counts = (entry.details.counts ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = { actor: entry.actor, created: shown(counts.create ?? 0, language), updated: shown(counts.update ?? 0, language), provider: DIRECTORIES[entry.target.id ?? ''] ?? shown(entry.target.id, language) };
  for (const [key, value] of Object.entries(entry.details)) {
    if (key === 'changes' && value && typeof value === 'object') values[key] = shown(Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined), language);
    else values[key] = shown(value, language);
  }
  if (!wording) {
    return language === 'zh-CN' ? `${entry.actor}：${entry.action}（${entry.target.type}）` : `${entry.actor}: ${entry.action} (${entry.target.type})`;
  }
  // A detail an older entry lacks shows as a dash rather than a raw placeholder.
  for (const [, name] of wording[language].matchAll(/\{(\w+)\}/g)) values[name!] ??= '—';
  return interpolate(wording[language], values, language);
}

/** A CSV cell: quoted, and a leading =, +, - or @ neutralised so a spreadsheet never runs it as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The entries as CSV (RFC 4180, CRLF), with the sentence in the chosen language beside the raw fields. */
export function auditCsv(entries: readonly AuditFacts[], language: UiLanguage): string {
  const header = ['at', 'actor', 'action', 'sentence', 'target_type', 'target_id', 'details'];
  const rows = entries.map((e) => [e.at, e.actor, e.action, auditSentence(e, language), e.target.type, e.target.id ?? '', JSON.stringify(e.details)]);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
