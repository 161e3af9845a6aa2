import { describe, expect, it } from '@jest/globals';
import { ClientTimeError, inferTimeZone } from '../../../src/core/clienttime/index.js';
import { parseDateHeader } from '../../../src/core/clienttime/date-header.js';

describe('stored time zone', () => {
  it('wins over everything else, as explicit', () => {
    const inferred = inferTimeZone({ storedTimeZone: 'Asia/Kolkata', storedBy: 'customer', email: 'buyer@emirates-trading.ae', dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0400' });
    expect(inferred).toMatchObject({ timeZone: 'Asia/Kolkata', country: 'IN', confidence: 'explicit', candidates: ['Asia/Kolkata'] });
    expect(inferred.reasons[0]).toBe('time zone Asia/Kolkata set on the customer');
    // the header disagrees: said, not acted on
    expect(inferred.reasons.some((reason) => reason.startsWith('note: Date header offset +04:00'))).toBe(true);
  });

  it('fixes the spelling and rejects an unknown zone naming it', () => {
    expect(inferTimeZone({ storedTimeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
    expect(() => inferTimeZone({ storedTimeZone: 'Europe/Berln' })).toThrow(ClientTimeError);
    expect(() => inferTimeZone({ storedTimeZone: 'Europe/Berln' })).toThrow('"Europe/Berln"');
  });
});

describe('Date header offset narrows the country', () => {
  it('Russia +09:00 → the Yakutsk zones', () => {
    const inferred = inferTimeZone({ email: 'snab@zavod.ru', dateHeader: 'Thu, 15 Jan 2026 10:15:00 +0900' });
    expect(inferred.timeZone).toBe('Asia/Yakutsk');
    expect(inferred.confidence).toBe('high');
    expect([...inferred.candidates].sort()).toEqual(['Asia/Chita', 'Asia/Khandyga', 'Asia/Yakutsk']);
    expect(inferred.reasons).toContain('e-mail domain .ru → Russia');
  });

  it('Russia +03:00 → Moscow, the main business zone, first among the many Moscow-time zones', () => {
    const inferred = inferTimeZone({ country: 'RU', dateHeader: 'Mon, 6 Jul 2026 09:00:00 +0300' });
    expect(inferred.timeZone).toBe('Europe/Moscow');
    expect(inferred.candidates).toEqual(expect.arrayContaining(['Europe/Moscow', 'Europe/Kirov', 'Europe/Volgograd']));
    expect(inferred.candidates).not.toContain('Europe/Samara');
  });

  it('US -07:00 is Mountain time in January but Pacific daylight time in July', () => {
    const january = inferTimeZone({ country: 'US', dateHeader: 'Thu, 15 Jan 2026 10:15:00 -0700' });
    expect(january.timeZone).toBe('America/Denver');
    expect(january.candidates).toEqual(expect.arrayContaining(['America/Denver', 'America/Phoenix', 'America/Boise']));
    expect(january.candidates).not.toContain('America/Los_Angeles');

    const july = inferTimeZone({ country: 'US', dateHeader: 'Wed, 15 Jul 2026 10:15:00 -0700' });
    expect(july.timeZone).toBe('America/Los_Angeles');
    expect([...july.candidates].sort()).toEqual(['America/Los_Angeles', 'America/Phoenix']);
    expect(july.confidence).toBe('high');
  });

  it('Australia +10:30 in January → Adelaide or Broken Hill (summer time in South Australia)', () => {
    const inferred = inferTimeZone({ email: 'orders@winery.com.au', dateHeader: 'Thu, 15 Jan 2026 08:00:00 +1030' });
    expect(inferred.timeZone).toBe('Australia/Adelaide');
    expect([...inferred.candidates].sort()).toEqual(['Australia/Adelaide', 'Australia/Broken_Hill']);
    // in July +10:30 is Lord Howe's winter time instead
    expect(inferTimeZone({ country: 'AU', dateHeader: 'Wed, 15 Jul 2026 08:00:00 +1030' }).candidates).toEqual(['Australia/Lord_Howe']);
  });

  it('uses the offset the zones had at the date of the mail (Brazil dropped summer time in 2019)', () => {
    const in2019 = inferTimeZone({ country: 'BR', dateHeader: 'Tue, 15 Jan 2019 10:00:00 -0200' });
    expect(in2019.timeZone).toBe('America/Sao_Paulo');
    expect(in2019.candidates).toContain('America/Noronha');
    const in2020 = inferTimeZone({ country: 'BR', dateHeader: 'Wed, 15 Jan 2020 10:00:00 -0200' });
    expect(in2020.timeZone).toBe('America/Noronha');
    expect(in2020.candidates).toEqual(['America/Noronha']);
  });

  it('a single-zone country with a matching offset is high confidence, and says so', () => {
    const inferred = inferTimeZone({ email: 'procurement@aramco-supplier.com.sa', dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0300' });
    expect(inferred).toMatchObject({ timeZone: 'Asia/Riyadh', country: 'SA', confidence: 'high', candidates: ['Asia/Riyadh'] });
    expect(inferred.reasons).toEqual(['e-mail domain .com.sa → Saudi Arabia', 'Date header offset +03:00 matches Asia/Riyadh on 2026-11-26']);
  });

  it('an offset that fits no zone of the country keeps the main zone at low confidence', () => {
    const inferred = inferTimeZone({ country: 'DE', dateHeader: 'Thu, 26 Nov 2026 17:15:00 +0800' });
    expect(inferred).toMatchObject({ timeZone: 'Europe/Berlin', country: 'DE', confidence: 'low' });
    expect(inferred.reasons.some((reason) => reason.includes('matches no time zone of Germany'))).toBe(true);
  });

  it('when the evidence names two countries, the one the offset fits wins', () => {
    const inferred = inferTimeZone({ email: 'li@siemens.de', phone: '+86 21 1234 5678', dateHeader: 'Thu, 26 Nov 2026 17:15:00 +0800' });
    expect(inferred).toMatchObject({ timeZone: 'Asia/Shanghai', country: 'CN', confidence: 'high' });
    expect(inferred.reasons.some((reason) => reason.includes('2 countries'))).toBe(true);
    // the rep's country comes first, unless the mail's offset rules it out
    const repSaysGermany = inferTimeZone({ country: 'DE', phone: '+86 21 1234 5678', dateHeader: 'Thu, 26 Nov 2026 17:15:00 +0800' });
    expect(repSaysGermany).toMatchObject({ timeZone: 'Asia/Shanghai', country: 'CN', confidence: 'high' });
    expect(repSaysGermany.reasons).toContain("the offset fits China (from the phone number), not Germany (from the rep's choice)");
  });
});

describe('Date header without a country', () => {
  it('does not guess among several zones, but keeps the offset in the reasons', () => {
    const inferred = inferTimeZone({ email: 'someone@gmail.com', dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0530' });
    expect(inferred).toMatchObject({ timeZone: null, country: null, confidence: 'none' });
    expect([...inferred.candidates].sort()).toEqual(['Asia/Colombo', 'Asia/Kolkata']);
    expect(inferred.reasons.some((reason) => reason.includes('+05:30'))).toBe(true);
    expect(inferTimeZone({ dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0100' }).timeZone).toBeNull();
  });

  it('takes the one zone in the world with that offset', () => {
    expect(inferTimeZone({ dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0545' })).toMatchObject({ timeZone: 'Asia/Kathmandu', country: 'NP', confidence: 'medium' });
    expect(inferTimeZone({ dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0330' })).toMatchObject({ timeZone: 'Asia/Tehran', country: 'IR' });
    expect(inferTimeZone({ dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0845' }).timeZone).toBe('Australia/Eucla');
  });

  it('"-0000" means the sender hid the zone', () => {
    const inferred = inferTimeZone({ dateHeader: 'Thu, 26 Nov 2026 07:15:00 -0000' });
    expect(inferred.timeZone).toBeNull();
    expect(inferred.reasons.some((reason) => reason.includes('-0000'))).toBe(true);
  });
});

describe('country alone', () => {
  it.each([
    ['US', 'America/New_York', 'low'],
    ['CN', 'Asia/Shanghai', 'low'],
    ['RU', 'Europe/Moscow', 'low'],
    ['BR', 'America/Sao_Paulo', 'low'],
    ['AU', 'Australia/Sydney', 'low'],
    ['CA', 'America/Toronto', 'low'],
    ['MX', 'America/Mexico_City', 'low'],
    ['ID', 'Asia/Jakarta', 'low'],
    ['ES', 'Europe/Madrid', 'low'], // the Canaries are an hour behind
    // several IANA zones but one clock today: Busingen reads like Berlin, all Kazakhstan is +05 since March 2024
    ['DE', 'Europe/Berlin', 'medium'],
    ['KZ', 'Asia/Almaty', 'medium'],
    ['SA', 'Asia/Riyadh', 'medium'],
    ['JP', 'Asia/Tokyo', 'medium'],
  ])('%s → %s (%s)', (country, zone, confidence) => {
    expect(inferTimeZone({ country })).toMatchObject({ timeZone: zone, country, confidence });
  });

  it('reads the phone in the signature', () => {
    expect(inferTimeZone({ phone: '+966 11 234 5678' })).toMatchObject({ timeZone: 'Asia/Riyadh', country: 'SA' });
    expect(inferTimeZone({ phone: 'Tel: 0086 21 1234 5678' })).toMatchObject({ timeZone: 'Asia/Shanghai', country: 'CN' });
    expect(inferTimeZone({ phone: '+1 416 555 0100' })).toMatchObject({ timeZone: 'America/Toronto', country: 'CA' });
    expect(inferTimeZone({ phone: '+7 727 123 4567' })).toMatchObject({ timeZone: 'Asia/Almaty', country: 'KZ' });
    const local = inferTimeZone({ phone: '011 234 5678' });
    expect(local.timeZone).toBeNull();
    expect(local.reasons[0]).toContain('no readable international number');
  });

  it("trusts the rep's country over phone and domain", () => {
    expect(inferTimeZone({ country: 'ae', phone: '+966 11 234 5678', email: 'x@y.com.sa' })).toMatchObject({ timeZone: 'Asia/Dubai', country: 'AE' });
    expect(inferTimeZone({ country: 'UK' })).toMatchObject({ timeZone: 'Europe/London', country: 'GB' });
  });

  it('rejects an unknown rep country, naming it', () => {
    expect(() => inferTimeZone({ country: 'XX' })).toThrow(ClientTimeError);
    expect(() => inferTimeZone({ country: 'XX' })).toThrow('"XX"');
    expect(() => inferTimeZone({ country: 'Germany' })).toThrow('"Germany"');
  });
});

describe('e-mail domains', () => {
  it.each([
    ['buyer@alrajhi.com.sa', 'SA', 'Asia/Riyadh', '.com.sa'],
    ['buyer@tesco.co.uk', 'GB', 'Europe/London', '.co.uk'],
    ['compras@empresa.com.br', 'BR', 'America/Sao_Paulo', '.com.br'],
    ['cg@factory.com.cn', 'CN', 'Asia/Shanghai', '.com.cn'],
    ['tanaka@trading.co.jp', 'JP', 'Asia/Tokyo', '.co.jp'],
    ['ops@logistics.com.au', 'AU', 'Australia/Sydney', '.com.au'],
    ['einkauf@mittelstand.de', 'DE', 'Europe/Berlin', '.de'],
    ['ventas@fabrica.com.co', 'CO', 'America/Bogota', '.com.co'],
  ])('%s → %s', (email, country, zone, suffix) => {
    const inferred = inferTimeZone({ email });
    expect(inferred).toMatchObject({ country, timeZone: zone });
    expect(inferred.reasons[0]).toMatch(new RegExp(`^e-mail domain ${suffix.replace(/\./g, '\\.')} → `));
  });

  it.each([
    'someone@gmail.com', 'someone@googlemail.com', 'someone@outlook.com', 'someone@hotmail.co.uk', 'someone@live.com', 'someone@yahoo.com',
    'someone@icloud.com', 'someone@qq.com', 'someone@163.com', 'someone@126.com', 'someone@yeah.net', 'someone@sina.com', 'someone@foxmail.com',
    'someone@aol.com', 'someone@mail.ru', 'someone@yandex.ru', 'someone@yandex.com', 'someone@gmx.de', 'someone@gmx.net', 'someone@web.de',
    'someone@proton.me', 'someone@protonmail.com', 'someone@zoho.com',
  ])('free mail %s proves nothing', (email) => {
    const inferred = inferTimeZone({ email });
    expect(inferred).toEqual({ timeZone: null, country: null, confidence: 'none', reasons: expect.any(Array), reasonTexts: expect.any(Array), candidates: [] });
    expect(inferred.reasons[0]).toContain('free-mail provider');
  });

  it.each(['a@acme.com', 'a@acme.net', 'a@acme.org', 'a@acme.info', 'a@acme.biz', 'a@acme.io', 'a@acme.co', 'a@acme.eu'])('generic ending %s proves nothing', (email) => {
    const inferred = inferTimeZone({ email });
    expect(inferred.timeZone).toBeNull();
    expect(inferred.confidence).toBe('none');
    expect(inferred.reasons[0]).toContain('not a country');
  });

  it('gmail plus a German phone → Berlin', () => {
    const inferred = inferTimeZone({ email: 'hans.mueller@gmail.com', phone: '+49 30 1234 5678' });
    expect(inferred).toMatchObject({ timeZone: 'Europe/Berlin', country: 'DE' });
    expect(inferred.reasons).toEqual(expect.arrayContaining([expect.stringContaining('free-mail'), 'phone +49 30 1234 5678 (+49) → Germany']));
  });
});

describe('Date header parsing', () => {
  it('reads RFC 5322 dates, including obsolete forms', () => {
    expect(parseDateHeader('Thu, 26 Nov 2026 10:15:00 +0300')).toEqual({ instantMs: Date.parse('2026-11-26T07:15:00Z'), offsetMinutes: 180 });
    expect(parseDateHeader('26 Nov 2026 10:15 -0330')).toEqual({ instantMs: Date.parse('2026-11-26T13:45:00Z'), offsetMinutes: -210 });
    expect(parseDateHeader('Thu, 26 Nov 26 10:15:00 PST (Pacific Standard Time)')).toEqual({ instantMs: Date.parse('2026-11-26T18:15:00Z'), offsetMinutes: -480 });
    expect(parseDateHeader('Thu, 26 Nov 2026 10:15:00 GMT').offsetMinutes).toBe(0);
    expect(parseDateHeader('Thu, 26 Nov 2026 10:15:00 -0000').offsetMinutes).toBeNull();
  });

  it.each(['yesterday', 'Thu, 31 Nov 2026 10:15:00 +0300', 'Thu, 26 Nov 2026 25:15:00 +0300', 'Thu, 26 Nov 2026 10:15:00 +0375', 'Thu, 26 Foo 2026 10:15:00 +0300'])(
    'rejects %j, naming it',
    (header) => {
      expect(() => parseDateHeader(header)).toThrow(ClientTimeError);
      expect(() => inferTimeZone({ country: 'SA', dateHeader: header })).toThrow(JSON.stringify(header));
    },
  );
});

describe('no evidence', () => {
  it('says so', () => {
    expect(inferTimeZone({})).toEqual({ timeZone: null, country: null, confidence: 'none', reasons: [expect.stringContaining('no evidence')], reasonTexts: [{ code: 'ct.reason.noEvidence', params: {} }], candidates: [] });
    expect(inferTimeZone({ email: null, phone: null, country: null, dateHeader: null, storedTimeZone: null }).timeZone).toBeNull();
  });
});
