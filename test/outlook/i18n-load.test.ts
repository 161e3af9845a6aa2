import { describe, expect, it } from '@jest/globals';
import { loadTranslator } from '../../src/outlook/i18n/load.js';
import { translator } from '../../src/outlook/i18n/index.js';

/** The task pane loads one language's words (the Chinese ones on demand): the same words as the full translator. */
describe('loadTranslator', () => {
  it('gives a Chinese Office the Chinese words, with the client-time and payment fragments', async () => {
    const t = await loadTranslator('zh-CN');
    const full = translator('zh-CN');
    for (const key of ['app.loading', 'tab.templates', 'ct.status.unknownZone', 'pay.kind.iban'] as const) expect(t(key)).toBe(full(key));
    expect(t('app.loading')).not.toBe(translator('en')('app.loading'));
  });

  it('gives everyone else the English words', async () => {
    const t = await loadTranslator('en');
    const full = translator('en');
    for (const key of ['app.loading', 'tab.templates', 'ct.status.unknownZone', 'pay.kind.iban'] as const) expect(t(key)).toBe(full(key));
  });
});
