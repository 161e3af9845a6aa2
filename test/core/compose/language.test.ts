import { describe, expect, it } from '@jest/globals';
import { chooseLanguage, describeLanguageChoice, domainCountry, ownText, templateCatalogue, PERSONAL } from '../../../src/core/compose/index.js';
import type { PackTemplate } from '../../../src/core/pack/schema.js';

const variants = ['en', 'es', 'ar', 'zh'];

describe('chooseLanguage', () => {
  it('a .sa buyer with nothing else known gets Arabic, because of the domain — never the UI language', () => {
    expect(chooseLanguage(variants, { recipient: 'buyer@alfanar-trading.sa', packDefault: 'en' })).toEqual({
      language: 'ar',
      source: 'recipient-domain',
      reason: { code: 'recipient-domain', params: { domain: 'alfanar-trading.sa', country: 'SA', language: 'ar' } },
    });
  });

  it('a German buyer who wrote English gets English', () => {
    const choice = chooseLanguage([...variants, 'de'], { buyerWrote: 'en', customerCountry: 'DE', recipient: 'einkauf@firma.de', packDefault: 'zh' });
    expect(choice).toMatchObject({ language: 'en', source: 'buyer-wrote' });
    expect(describeLanguageChoice(choice.reason)).toBe("the buyer's last message is in en");
  });

  it('a new .es address gets Spanish', () => {
    expect(chooseLanguage(variants, { recipient: 'compras@empresa.es', packDefault: 'zh' })).toMatchObject({ language: 'es', source: 'recipient-domain' });
  });

  it('follows the order: pick › buyer wrote › contact › customer country › domain › default', () => {
    const all = { repPick: 'zh', buyerWrote: 'es', contactLanguage: 'ar', customerCountry: 'CN', recipient: 'a@b.es', packDefault: 'en' };
    expect(chooseLanguage(variants, all).source).toBe('rep-pick');
    expect(chooseLanguage(variants, { ...all, repPick: '' }).source).toBe('buyer-wrote');
    expect(chooseLanguage(variants, { ...all, repPick: null, buyerWrote: null }).language).toBe('ar');
    expect(chooseLanguage(variants, { ...all, repPick: null, buyerWrote: null, contactLanguage: null })).toMatchObject({ language: 'zh', source: 'customer-country' });
    expect(chooseLanguage(variants, { recipient: 'a@b.com', packDefault: 'en' })).toEqual({ language: 'en', source: 'pack-default', reason: { code: 'pack-default', params: { language: 'en' } } });
  });

  it('says so when the wanted language has no variant, and falls back to the pack default', () => {
    const choice = chooseLanguage(['en', 'zh'], { recipient: 'buyer@alfanar-trading.sa', contactLanguage: null, packDefault: 'en' });
    expect(choice).toEqual({
      language: 'en',
      source: 'pack-default',
      reason: { code: 'no-variant', params: { domain: 'alfanar-trading.sa', country: 'SA', wanted: 'ar', because: 'recipient-domain', language: 'en' } },
    });
    expect(describeLanguageChoice(choice.reason)).toBe("the recipient's domain alfanar-trading.sa is in SA, but the template has no ar variant: the pack's default en");
  });

  it('reads Taiwan as traditional Chinese where there is a variant', () => {
    expect(chooseLanguage(['en', 'zh', 'zh-Hant'], { customerCountry: 'Taiwan', packDefault: 'en' }).language).toBe('zh-Hant');
  });
});

describe('domainCountry', () => {
  it.each([
    ['buyer@alfanar-trading.sa', 'SA'],
    ['compras@empresa.es', 'ES'],
    ['x@empresa.com.br', 'BR'],
    ['x@shop.co.uk', 'GB'],
    ['x@gmail.com', undefined],
    ['x@startup.io', undefined],
    ['x@firma.co', undefined],
    ['not an address', undefined],
  ])('%s → %s', (address, country) => expect(domainCountry(address)).toBe(country));
});

describe('ownText', () => {
  it('keeps the buyer\'s words above the quoted mail', () => {
    expect(ownText('Please send the price.\nThanks\n\nOn Tue, 1 Dec 2026 Linda <l@x.cn> wrote:\n> 您好')).toBe('Please send the price.\nThanks');
    expect(ownText('Bitte Angebot.\n-----Original Message-----\nFrom: Linda')).toBe('Bitte Angebot.');
    expect(ownText('好的\n在 2026年12月1日 Linda 写道：\n> hi')).toBe('好的');
  });
});

describe('templateCatalogue', () => {
  const t = (id: string, title: string): PackTemplate => ({ id, kind: 'quote', title, variants: { en: { subject: title, body: `<p>${title}</p>` } } });
  it('lists packs and personal templates, ranked by the rep\'s uses', () => {
    const catalogue = templateCatalogue({
      packs: [{ pack: 'sales', document: { defaultLanguage: 'es', templates: [t('quote-a', 'Quotation A'), t('quote-b', 'Quotation B')] } }],
      personal: [t('mine', 'My quotation')],
      uses: [{ pack: PERSONAL, template: 'mine', count: 12 }, { pack: 'sales', template: 'quote-b', count: 3 }],
    });
    expect(catalogue.search('').map((h) => h.key)).toEqual([`${PERSONAL}/mine`, 'sales/quote-b', 'sales/quote-a']);
    expect(catalogue.defaultLanguage(catalogue.byKey.get('sales/quote-a')!)).toBe('es');
    expect(catalogue.defaultLanguage(catalogue.byKey.get(`${PERSONAL}/mine`)!)).toBe('en');
    expect(catalogue.kinds).toEqual(['quote']);
  });

  it('leaves out the team inbox\'s own templates (kind team): the store sends them, no rep composes with them', () => {
    const team: PackTemplate = { ...t('team-acknowledgement', 'We received your inquiry'), kind: 'team' };
    const catalogue = templateCatalogue({ packs: [{ pack: 'sales', document: { defaultLanguage: 'en', templates: [t('quote-a', 'Quotation A'), team] } }], personal: [], uses: [] });
    expect(catalogue.search('').map((h) => h.key)).toEqual(['sales/quote-a']);
    expect(catalogue.search('received inquiry')).toEqual([]);
    expect(catalogue.kinds).toEqual(['quote']);
  });
});
