import { readEmailDomain } from '../../../src/core/clienttime/countries.js';
import { isFreeMailDomain } from '../../../src/core/clienttime/free-mail.js';
import { inferTimeZone } from '../../../src/core/clienttime/index.js';

describe('free-mail: the maintained package plus our supplement', () => {
  // the providers issue #13 found missing from the old hand-kept list, and others reps meet
  it.each([
    'vip.qq.com', 'vip.163.com', 'vip.126.com', '139.com', '189.cn', 'sina.cn', 'yeah.net', 'aliyun.com', 'comcast.net', 'naver.com', 'mail.ru',
    'yandex.ru', 'yandex.kz', 'yahoo.co.jp', 'hotmail.fr', 'gmx.at', 'hinet.net', 'netvigator.com', 'wo.cn', 'att.net', 'btinternet.com', 'orange.fr',
  ])('%s is free-mail', (domain) => {
    expect(readEmailDomain(`buyer@${domain}`)).toMatchObject({ kind: 'free-mail', domain });
  });

  it('a buyer at vip.163.com gets no company country from the domain', () => {
    expect(inferTimeZone({ email: 'li.wei@vip.163.com' })).toMatchObject({ timeZone: null, confidence: 'none' });
  });

  it.each([
    ['alfanar-trading.sa', 'country'],
    ['mittelstand.de', 'country'],
    ['acme-industrial.com', 'generic'],
    ['ningbo-valves.cn', 'country'],
  ])('business domain %s stays a %s', (domain, kind) => {
    expect(readEmailDomain(`buyer@${domain}`).kind).toBe(kind);
  });

  it('matches whole domains only: a company whose name ends like a provider is not free-mail', () => {
    expect(isFreeMailDomain('notqq.com')).toBe(false);
    expect(isFreeMailDomain('mail.acme-163.com')).toBe(false);
    expect(isFreeMailDomain('QQ.COM')).toBe(true);
  });
});
