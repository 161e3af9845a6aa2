import { describe, expect, it } from '@jest/globals';
import { auditCsv, auditSentence, type AuditFacts } from '../../src/core/audit/sentence.js';

const entry = (action: string, details: Record<string, unknown>, actor = 'Wang Fang'): AuditFacts => ({ at: '2026-12-01T08:00:00.000Z', actor, action, target: { type: 'pack', id: 'p1' }, details });

describe('audit entries as sentences', () => {
  it('says who did what to which pack and groups, in English and Chinese', () => {
    const published = entry('pack.published', { pack: 'demo-export', version: 3, groups: ['sales-eu'] });
    expect(auditSentence(published, 'en')).toBe('Wang Fang published demo-export v3 to sales-eu');
    expect(auditSentence(published, 'zh-CN')).toBe('Wang Fang 将 demo-export 第 3 版发布到 sales-eu');
    const rolled = entry('pack.rolled_back', { pack: 'demo-export', version: 2, audiences: ['sales-eu', '*'] });
    expect(auditSentence(rolled, 'en')).toBe('Wang Fang rolled demo-export back to v2 for sales-eu, everyone');
    expect(auditSentence(rolled, 'zh-CN')).toBe('Wang Fang 将 sales-eu、所有人 的 demo-export 回滚到第 2 版');
  });

  it('words a push by what happened: published, stored only, or unchanged', () => {
    expect(auditSentence(entry('pack.pushed', { pack: 'p', version: 4, publishedTo: ['a', 'b'], unchanged: false }), 'en')).toBe('Wang Fang saved p v4 and published it to a, b');
    expect(auditSentence(entry('pack.pushed', { pack: 'p', version: 4, publishedTo: [], unchanged: false }), 'en')).toBe('Wang Fang saved p v4');
    expect(auditSentence(entry('pack.pushed', { pack: 'p', version: 4, publishedTo: [], unchanged: true }), 'en')).toBe('Wang Fang saved p again, unchanged (v4)');
    expect(auditSentence(entry('people.imported', { counts: { create: 2, update: 5, unchanged: 1, error: 0 } }), 'en')).toBe('Wang Fang imported people from CSV: 2 added, 5 updated');
  });

  it('words what the people, connector, directory and team-inbox screens record, in both languages', () => {
    const disabled = entry('user.disabled', { email: 'li@x.test', reason: 'left', revokedKeys: 2, stoppedSends: 1 });
    expect(auditSentence(disabled, 'en')).toBe('Wang Fang disabled li@x.test (2 API keys revoked, 1 scheduled mails stopped)');
    expect(auditSentence(disabled, 'zh-CN')).toBe('Wang Fang 停用了 li@x.test（吊销 2 个 API 密钥，停止 1 封定时邮件）');
    expect(auditSentence(entry('connector.tested', { name: 'HubSpot EU', ok: false, reason: '401 from HubSpot' }), 'en')).toBe('Wang Fang sent a test event to "HubSpot EU": refused (401 from HubSpot)');
    expect(auditSentence(entry('connector.removed', { kind: 'hubspot', name: 'HubSpot EU', droppedPending: 3, droppedDead: 0 }), 'en')).toBe('Wang Fang removed the hubspot connector "HubSpot EU" (3 queued and 0 dead deliveries dropped)');
    const synced: AuditFacts = { ...entry('directory.synced', { counts: { update: 1, unchanged: 9, missing: 0, notHere: 2 }, updated: [{ email: 'li@x.test', fields: ['title'] }] }), target: { type: 'directory', id: 'entra' } };
    expect(auditSentence(synced, 'en')).toBe('Wang Fang applied the directory sync: 1 person updated');
    expect(auditSentence(synced, 'zh-CN')).toBe('Wang Fang 应用了目录同步：更新 1 人');
    const source: AuditFacts = { ...entry('directory.source_set', {}), target: { type: 'directory', id: 'entra' } };
    expect(auditSentence(source, 'en')).toBe('Wang Fang set up the directory sync from Microsoft Entra ID');
    expect(auditSentence(entry('team-conversation.reopen', { by: 'buyer' }), 'zh-CN')).toBe('买方再次来信：团队会话已重新打开');
    expect(auditSentence(entry('team-conversation.close', { from: 'assigned', to: 'closed' }), 'en')).toBe('Wang Fang closed a team conversation');
  });

  it('keeps an unknown action readable, and a missing detail as a dash', () => {
    expect(auditSentence(entry('thing.frobbed', {}), 'en')).toBe('Wang Fang: thing.frobbed (pack)');
    expect(auditSentence(entry('pack.published', { pack: 'p' }), 'en')).toBe('Wang Fang published p v— to —');
  });
});

describe('audit CSV', () => {
  it('quotes every cell, doubles quotes, neutralises formulas, ends rows with CRLF', () => {
    const csv = auditCsv([entry('api_key.revoked', { name: '=HYPERLINK("x")' }, '@evil "admin"')], 'en');
    expect(csv).toBe(
      '"at","actor","action","sentence","target_type","target_id","details"\r\n' +
        `"2026-12-01T08:00:00.000Z","'@evil ""admin""","api_key.revoked","'@evil ""admin"" revoked the API key ""=HYPERLINK(""x"")""","pack","p1","{""name"":""=HYPERLINK(\\""x\\"")""}"\r\n`,
    );
  });
});
