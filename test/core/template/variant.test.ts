import { describe, expect, it } from '@jest/globals';
import { chooseVariant, countryCode, matchLanguage } from '../../../src/core/template/index.js';

const variants = (...langs: string[]) => ({ variants: Object.fromEntries(langs.map((l) => [l, { subject: 's', body: 'b' }])) });
const quote = variants('en', 'es', 'zh', 'ar');

describe('chooseVariant', () => {
  it('takes the contact’s language first', () => {
    expect(chooseVariant(quote, { contactLanguage: 'es', customerCountry: 'CN', repPick: 'zh', packDefault: 'en' })).toEqual({ language: 'es', reason: "contact's language es" });
  });

  it('matches a regional tag to the plain variant', () => {
    expect(chooseVariant(quote, { contactLanguage: 'es-MX', packDefault: 'en' })).toEqual({ language: 'es', reason: "contact's language es-MX (es variant)" });
    expect(chooseVariant(quote, { contactLanguage: 'AR_eg', packDefault: 'en' }).language).toBe('ar');
  });

  it('goes on to the customer’s country when the contact’s language has no variant', () => {
    expect(chooseVariant(quote, { contactLanguage: 'fr', customerCountry: 'MX', packDefault: 'en' })).toEqual({
      language: 'es',
      reason: "contact's language fr; no fr variant; customer in Mexico speaks es",
    });
  });

  it.each([
    ['SA', 'ar'],
    ['AE', 'ar'],
    ['EG', 'ar'],
    ['ES', 'es'],
    ['AR', 'es'],
    ['CO', 'es'],
    ['CL', 'es'],
    ['PE', 'es'],
    ['CN', 'zh'],
    ['TW', 'zh'],
    ['HK', 'zh'],
    ['SG', 'zh'],
    ['us', 'en'],
    ['Saudi Arabia', 'ar'],
    ['UAE', 'ar'],
    ['mexico', 'es'],
  ])('customer in %s → %s', (country, language) => {
    expect(chooseVariant(quote, { customerCountry: country, packDefault: 'en' }).language).toBe(language);
  });

  it('explains a country whose language the template lacks, then uses the rep’s pick', () => {
    expect(chooseVariant(quote, { customerCountry: 'BR', repPick: 'es', packDefault: 'en' })).toEqual({
      language: 'es',
      reason: "customer in Brazil speaks pt; no pt variant; rep's pick es",
    });
  });

  it('falls back to the pack default, saying why', () => {
    expect(chooseVariant(quote, { customerCountry: 'DE', repPick: 'ja', packDefault: 'en' })).toEqual({
      language: 'en',
      reason: "customer in Germany speaks de; no de variant; rep's pick ja; no ja variant; pack default en",
    });
    expect(chooseVariant(quote, { packDefault: 'en' })).toEqual({ language: 'en', reason: 'pack default en' });
    expect(chooseVariant(quote, { customerCountry: 'Atlantis', packDefault: 'en' }).reason).toBe("no language on file for the customer's country Atlantis; pack default en");
  });

  it('ignores blank preferences', () => {
    expect(chooseVariant(quote, { contactLanguage: ' ', customerCountry: '', repPick: null, packDefault: 'en' })).toEqual({ language: 'en', reason: 'pack default en' });
  });

  it('prefers traditional Chinese for Taiwan and Hong Kong when there is a variant in it', () => {
    const both = variants('en', 'zh', 'zh-Hant');
    expect(chooseVariant(both, { customerCountry: 'TW', packDefault: 'en' })).toEqual({ language: 'zh-Hant', reason: 'customer in Taiwan speaks zh (zh-Hant variant)' });
    expect(chooseVariant(both, { customerCountry: 'CN', packDefault: 'en' }).language).toBe('zh');
    expect(chooseVariant(both, { contactLanguage: 'zh-HK', packDefault: 'en' }).language).toBe('zh-Hant');
    expect(chooseVariant(both, { contactLanguage: 'zh-CN', packDefault: 'en' }).language).toBe('zh');
  });
});

describe('matchLanguage', () => {
  it('matches exactly, then by base language, the plain variant first', () => {
    expect(matchLanguage('pt-BR', ['en', 'pt', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('pt-PT', ['en', 'pt-BR', 'pt'])).toBe('pt');
    expect(matchLanguage('pt-PT', ['en', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('es', ['en', 'es-419'])).toBe('es-419');
    expect(matchLanguage('fr', ['en', 'es'])).toBeUndefined();
    expect(matchLanguage('', ['en'])).toBeUndefined();
  });
});

describe('countryCode', () => {
  it('reads codes, English names and common short names', () => {
    expect(countryCode('br')).toBe('BR');
    expect(countryCode('Brazil')).toBe('BR');
    expect(countryCode('KSA')).toBe('SA');
    expect(countryCode('Narnia')).toBeUndefined();
  });
});
