import { describe, expect, it } from '@jest/globals';
import { canonicalBic, canonicalIban, knownAccounts } from '../../../src/core/payment/accounts.js';
import { checkIncoming, checkOutgoing, type IncomingMail } from '../../../src/core/payment/check.js';
import { findBankDetails, maskAccount } from '../../../src/core/payment/find.js';
import { findAccountChangeWording, findRelationshipClaim } from '../../../src/core/payment/wording.js';
import { htmlToText } from '../../../src/core/template/text.js';

const OFFICIAL = knownAccounts([
  { iban: 'DE89 3704 0044 0532 0130 00', accountNumber: null, swift: 'DEUTDEFF' },
  { iban: null, accountNumber: '6222 0212 3456 7890', swift: 'BKCHCNBJ' },
]);

describe('finding bank details', () => {
  it('finds IBANs grouped or not, in any country, and ends them where the country says', () => {
    expect(findBankDetails('IBAN: DE89 3704 0044 0532 0130 00 BIC DEUTDEFF.')).toEqual([
      { kind: 'iban', value: 'DE89370400440532013000', valid: true },
      { kind: 'bic', value: 'DEUTDEFF' },
    ]);
    expect(findBankDetails('pay to SA0380000000608010167519, or GB82-WEST-1234-5698-7654-32 (UK)')).toEqual([
      { kind: 'iban', value: 'SA0380000000608010167519', valid: true },
      { kind: 'iban', value: 'GB82WEST12345698765432', valid: true },
    ]);
  });

  it('reports an IBAN whose check digits fail as invalid', () => {
    expect(findBankDetails('IBAN DE89 3704 0044 0532 0130 01')).toEqual([{ kind: 'iban', value: 'DE89370400440532013001', valid: false }]);
  });

  it('takes an eight-letter word as a BIC only right after its name', () => {
    expect(findBankDetails('Dear CUSTOMER, SWIFT/BIC code: COBADEFFXXX')).toEqual([{ kind: 'bic', value: 'COBADEFFXXX' }]);
    expect(findBankDetails('BIC DEUTDEFF. CUSTOMER service')).toEqual([{ kind: 'bic', value: 'DEUTDEFF' }]);
  });

  it.each([
    ['Account No.: 0123-4567-8901', '012345678901'],
    ['A/C 12 345 678 90', '1234567890'],
    ['账号：6222 0212 3456 7890', '6222021234567890'],
    ['收款账户 ６２２２０２１２３４５６７８９０', '6222021234567890'], // full-width digits
    ['Número de cuenta 0049 1500 0512', '004915000512'],
    ['Kontonummer: 532013000', '532013000'],
    ['compte n° 00012345678', '00012345678'],
    ['رقم الحساب ٠١٢٣٤٥٦٧٨٩', '0123456789'], // Arabic-Indic digits
    ['расчётный счет 40702810900000012345', '40702810900000012345'],
    ['Hesap no 12345678', '12345678'],
  ])('finds the account number in "%s"', (text, number) => {
    expect(findBankDetails(text)).toEqual([{ kind: 'account', value: number }]);
  });

  it('leaves quantities, phone numbers and short references alone', () => {
    expect(findBankDetails('on account of the 2 containers, call +971 4 123 4567; account ref 1234')).toEqual([]);
    expect(findBankDetails('Order 123456789 ships Monday')).toEqual([]);
  });

  it('reads HTML bodies through the text conversion', () => {
    expect(findBankDetails(htmlToText('<p>IBAN <b>DE89&nbsp;3704&nbsp;0044</b> 0532 0130 00</p>'))).toEqual([{ kind: 'iban', value: 'DE89370400440532013000', valid: true }]);
  });

  it('masks accounts to their first and last four characters', () => {
    expect(maskAccount('DE89370400440532013000')).toBe('DE89…3000');
    expect(maskAccount('12345678')).toBe('12345678');
  });

  it('canonicalises identifiers and knows a BIC8 is its head office BIC11', () => {
    expect(canonicalIban('de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(canonicalIban('DE00 3704 0044 0532 0130 00')).toBeNull();
    expect(canonicalBic('deut de ff')).toBe('DEUTDEFF');
    expect(OFFICIAL.bics.has('DEUTDEFFXXX')).toBe(true);
  });
});

describe('"change of account" and "as agreed" wording', () => {
  it.each([
    ['en', 'Kindly note our new bank account details for this payment.', 'new bank account'],
    ['en', 'Due to an audit our account has been changed.', 'our account has been changed'],
    ['zh', '我们公司更改账户了，请汇款到以下账户', '更改账户'],
    ['zh', '请注意我司新的收款账户', '新的收款账户'],
    ['es', 'Le informamos de nuestra nueva cuenta bancaria', 'nueva cuenta'],
    ['ar', 'يرجى ملاحظة حسابنا البنكي الجديد', 'حسابنا البنكي الجديد'],
    ['ar', 'نود إبلاغكم بتغيير الحساب البنكي', 'بتغيير الحساب'],
    ['de', 'Bitte beachten Sie unsere neue Bankverbindung.', 'neue Bankverbindung'],
    ['fr', 'Veuillez noter nos nouvelles coordonnées bancaires.', 'nouvelles coordonnées bancaires'],
    ['pt', 'Informamos a nossa nova conta para pagamento.', 'nova conta'],
    ['ru', 'Обратите внимание на новые реквизиты компании.', 'новые реквизиты'],
    ['tr', 'Yeni banka hesabımız aşağıdadır.', 'Yeni banka hesabımız'],
  ])('%s: %s', (language, text, phrase) => {
    expect(findAccountChangeWording(text)).toEqual({ language, phrase });
  });

  it.each(['We opened a new office in Dubai.', 'The account manager will call you.', '我们的新产品目录', 'Nueva lista de precios', 'Neue Preisliste anbei', 'Новый каталог продукции'])('no change of account in "%s"', (text) => {
    expect(findAccountChangeWording(text)).toBeNull();
  });

  it('finds claims of an existing relationship', () => {
    expect(findRelationshipClaim('As agreed, please settle the outstanding invoice today.')).toEqual({ language: 'en', phrase: 'As agreed' });
    expect(findRelationshipClaim('请尽快支付上次订单的尾款')).toEqual({ language: 'zh', phrase: '上次订单' });
    expect(findRelationshipClaim('Please find our catalogue attached.')).toBeNull();
  });
});

describe('the outgoing check', () => {
  it('allows official accounts, however they are written', () => {
    expect(checkOutgoing('IBAN de89 3704 0044 0532 0130 00, SWIFT: DEUTDEFFXXX; 账号 6222-0212-3456-7890', OFFICIAL, 'block')).toEqual({ action: 'allow', findings: [], official: 3 });
    expect(checkOutgoing('Account number 0532013000 at Deutsche Bank', OFFICIAL, 'block')).toMatchObject({ action: 'allow', official: 1 });
  });

  it('applies the policy to anything else', () => {
    const text = 'Please pay to GB82 WEST 1234 5698 7654 32, SWIFT: WESTGB2L';
    const findings = [
      { code: 'account.unofficial', params: { kind: 'iban', account: 'GB82…5432' } },
      { code: 'account.unofficial', params: { kind: 'bic', account: 'WESTGB2L' } },
    ];
    expect(checkOutgoing(text, OFFICIAL, 'block')).toEqual({ action: 'block', findings, official: 0 });
    expect(checkOutgoing(text, OFFICIAL)).toEqual({ action: 'warn', findings, official: 0 });
    expect(checkOutgoing(text, OFFICIAL, 'off')).toEqual({ action: 'allow', findings, official: 0 });
    expect(checkOutgoing('IBAN DE89 3704 0044 0532 0130 01', OFFICIAL, 'warn')).toEqual({ action: 'warn', findings: [{ code: 'iban.invalid', params: { account: 'DE89…3001' } }], official: 0 });
    expect(checkOutgoing('Thanks for the order!', knownAccounts([]), 'block')).toEqual({ action: 'allow', findings: [], official: 0 });
  });
});

describe('the incoming check', () => {
  const base: IncomingMail = { from: 'ahmed@alfanar-trading.sa', replyTo: [], text: 'Thank you, we received the goods.', knownDomains: ['alfanar-trading.sa', 'exporter.cn'], knownAccounts: null, firstFromDomain: false };

  it('says nothing about an ordinary mail from a known buyer', () => {
    expect(checkIncoming(base)).toEqual({ verdict: 'ok', findings: [], accounts: [] });
  });

  it('catches the look-alike "new account" mail with every reason', () => {
    const check = checkIncoming({
      ...base,
      from: 'ahmed@alfanar-tradlng.sa',
      replyTo: ['finance@pay-desk.net'],
      text: 'As agreed, our bank account has been changed. New IBAN: GB82 WEST 1234 5698 7654 32',
      knownAccounts: knownAccounts([{ iban: 'SA0380000000608010167519', accountNumber: null, swift: null }]),
      firstFromDomain: true,
    });
    expect(check).toEqual({
      verdict: 'suspicious',
      accounts: ['GB82WEST12345698765432'],
      findings: [
        { code: 'domain.lookalike', params: { domain: 'alfanar-tradlng.sa', known: 'alfanar-trading.sa', how: 'confusable' } },
        { code: 'reply-to.other-domain', params: { from: 'ahmed@alfanar-tradlng.sa', replyTo: 'finance@pay-desk.net' } },
        { code: 'account.differs', params: { account: 'GB82…5432' } },
        { code: 'account.change-wording', params: { phrase: 'our bank account has been changed', language: 'en' } },
        { code: 'domain.first-contact', params: { domain: 'alfanar-tradlng.sa', phrase: 'As agreed' } },
      ],
    });
  });

  it('notes the first bank details a company sends, and accepts the ones on file', () => {
    const text = 'Please pay to IBAN SA03 8000 0000 6080 1016 7519';
    expect(checkIncoming({ ...base, text })).toEqual({ verdict: 'notice', findings: [{ code: 'account.new', params: { account: 'SA03…7519' } }], accounts: ['SA0380000000608010167519'] });
    expect(checkIncoming({ ...base, text, knownAccounts: knownAccounts([{ iban: 'SA0380000000608010167519', accountNumber: null, swift: null }]) })).toMatchObject({ verdict: 'ok', findings: [] });
  });

  it('does not flag a Reply-To on a subdomain of the sender, nor a claim from a domain that wrote before', () => {
    expect(checkIncoming({ ...base, replyTo: ['sales@mail.alfanar-trading.sa'], text: 'As agreed, the goods ship Monday.' })).toMatchObject({ verdict: 'ok' });
  });
});
