import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { interpolate, pluralCategory, translator, uiLanguageOf, uiLanguageOfList } from '../../../src/core/i18n/index.js';

describe('one language rule for every face', () => {
  it.each([
    ['zh-CN', 'zh-CN'], ['zh', 'zh-CN'], ['zh-SG', 'zh-CN'], ['zh-Hans-CN', 'zh-CN'], ['ZH_cn', 'zh-CN'], ['zh_CN.UTF-8', 'zh-CN'],
    // Traditional Chinese gets our (Simplified) Chinese, in the pane and the on-send alert alike
    ['zh-TW', 'zh-CN'], ['zh-HK', 'zh-CN'], ['zh-MO', 'zh-CN'], ['zh-Hant', 'zh-CN'], ['zh_TW', 'zh-CN'],
    ['en-US', 'en'], ['en', 'en'], ['de-DE', 'en'], ['ar-SA', 'en'], ['', 'en'], ['C', 'en'], ['POSIX', 'en'], ['C.UTF-8', 'en'], ['zhx', 'en'], [null, 'en'], [undefined, 'en'],
  ])('%s → %s', (tag, expected) => {
    expect(uiLanguageOf(tag)).toBe(expected);
  });

  it('a list of preferences: the first real tag decides, C/POSIX are skipped', () => {
    expect(uiLanguageOfList(['', 'C', 'zh_CN.UTF-8', 'en'])).toBe('zh-CN');
    expect(uiLanguageOfList(['en-GB', 'zh-CN'])).toBe('en');
    expect(uiLanguageOfList([])).toBe('en');
  });
});

describe('one interpolation and plural helper', () => {
  it('fills placeholders and leaves an unknown one visible', () => {
    expect(interpolate('Hello {name}, {missing}', { name: 'Li' }, 'en')).toBe('Hello Li, {missing}');
    expect(interpolate('{a}{a}', { a: 1 }, 'en')).toBe('11');
  });

  it('plural forms from Intl.PluralRules: English one/other, Chinese other only', () => {
    const results = { one: '{count} template', other: '{count} templates' };
    expect(interpolate(results, { count: 1 }, 'en')).toBe('1 template');
    expect(interpolate(results, { count: 0 }, 'en')).toBe('0 templates');
    expect(interpolate(results, { count: 2 }, 'en')).toBe('2 templates');
    expect(pluralCategory('zh-CN', 1)).toBe('other');
    expect(interpolate({ other: '共 {count} 个模板' }, { count: 1 }, 'zh-CN')).toBe('共 1 个模板');
  });

  it('a face translator falls back to English for a key its language lacks, and to the key for one no catalogue has', () => {
    const t = translator<'a' | 'b'>({ en: { a: 'A {x}', b: 'B' }, 'zh-CN': { a: '甲 {x}' } }, 'zh-CN');
    expect(t('a', { x: 1 })).toBe('甲 1');
    expect(t('b')).toBe('B');
    expect((t as (key: string) => string)('c')).toBe('c');
  });
});

/**
 * The rule and the helper live once, in src/core/i18n. A face that chooses its language or fills
 * `{name}` placeholders by itself again is how four modules came to have three rules.
 */
describe('no face keeps its own language rule or interpolation', () => {
  const root = join(process.cwd(), 'src');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name)) files.push(path);
    }
  };
  walk(root);
  // the faces: what language a person reads is their business; core/template's variant choice is about the buyer's content language
  const faces = ['outlook', 'gmail', 'admin', 'cli', 'inbox', 'client'];
  const outside = files.filter((f) => faces.includes(relative(root, f).split(/[\\/]/)[0]!));

  const PATTERNS: Array<[string, RegExp]> = [
    // a raw tag tested for Chinese (UiLanguage values are compared as 'zh-CN', which this leaves alone)
    ['tests a language tag for Chinese', /\/\^zh|startsWith\(\s*['"]zh|===\s*['"]zh-(cn|sg|hans|tw|hk|hant)['"]|\.test\([^)]*(displayLanguage|userLocale|navigator\.language|LANG)/],
    ['fills {name} placeholders itself', /\.replace\(\s*\/\\\{\(\\w\+\)\\\}\/g/],
    ['builds its own Intl.PluralRules', /new Intl\.PluralRules/],
  ];

  it.each(PATTERNS)('nothing outside src/core/i18n %s', (_what, pattern) => {
    const offenders = outside.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('the scan sees the faces (it would find a copy)', () => {
    for (const face of ['outlook/i18n/index.ts', 'outlook/events/messages.ts', 'gmail/i18n.ts', 'admin/i18n/index.ts']) {
      expect(files.map((f) => relative(root, f).split('\\').join('/'))).toContain(face);
    }
    expect(PATTERNS[0]![1].test("return /^zh/i.test(displayLanguage) ? TEXT.zh : TEXT.en;")).toBe(true);
    expect(PATTERNS[1]![1].test("message.replace(/\\{(\\w+)\\}/g, (whole, name) => name)")).toBe(true);
  });
});
