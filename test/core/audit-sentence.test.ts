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
