import { cleanDisplayName, companyNameOfDomain, parseMailbox, splitDisplayName } from '../../../src/core/crm/mailbox.js';

describe('reading `Name <address>`', () => {
  it.each([
    ['Hans Müller <Hans@Mittelstand.de>', { address: 'hans@mittelstand.de', name: 'Hans Müller' }],
    ['"Al-Harbi, Faisal" <faisal@alfanar-trading.sa>', { address: 'faisal@alfanar-trading.sa', name: 'Al-Harbi, Faisal' }],
    ['"O\\"Brien" <ob@acme.ie>', { address: 'ob@acme.ie', name: 'O"Brien' }],
    ['王伟 <wangwei@vip.163.com>', { address: 'wangwei@vip.163.com', name: '王伟' }],
    ['buyer@acme.com', { address: 'buyer@acme.com', name: null }],
    ['<buyer@acme.com>', { address: 'buyer@acme.com', name: null }],
    ['"buyer@acme.com" <buyer@acme.com>', { address: 'buyer@acme.com', name: null }],
    ['=?UTF-8?B?546L5Lyf?= <w@x.cn>', { address: 'w@x.cn', name: null }],
    ['Evil\u0000 Name\u202e <e@x.com>', { address: 'e@x.com', name: 'Evil Name' }],
  ])('%s', (text, expected) => {
    expect(parseMailbox(text)).toEqual(expected);
  });

  it('refuses what holds no address', () => {
    expect(parseMailbox('Hans Müller')).toBeNull();
    expect(parseMailbox('Hans <not-an-address>')).toBeNull();
  });

  it('cuts a huge display name to 100 characters, and drops one with angle brackets', () => {
    expect(cleanDisplayName('x'.repeat(5000))).toHaveLength(100);
    expect(cleanDisplayName('<b>Boss</b>')).toBeNull();
  });
});

describe('first and last name from a display name', () => {
  it.each([
    ['Hans Müller', { firstName: 'Hans', lastName: 'Müller' }],
    ['Al-Harbi, Faisal', { firstName: 'Faisal', lastName: 'Al-Harbi' }],
    ['Ana Maria Souza', { firstName: 'Ana Maria', lastName: 'Souza' }],
    ['王伟', { firstName: '王伟', lastName: null }],
    ['Purchasing', { firstName: 'Purchasing', lastName: null }],
  ])('%s', (name, expected) => {
    expect(splitDisplayName(name)).toEqual(expected);
  });
});

describe('a company name from its domain', () => {
  it.each([
    ['alfanar-trading.sa', '.sa', 'Alfanar Trading'],
    ['mittelstand.de', '.de', 'Mittelstand'],
    ['mail.al-noor.com.sa', '.com.sa', 'Al Noor'],
    ['acme_tools.com', '.com', 'Acme Tools'],
  ])('%s → %s', (domain, suffix, name) => {
    expect(companyNameOfDomain(domain, suffix)).toBe(name);
  });
});
