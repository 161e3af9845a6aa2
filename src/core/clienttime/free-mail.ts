// The maintained list (Kikobeats/free-email-domains, ~14k domains: webmail, ISPs, regional
// providers). Its postinstall (a download) is disabled; the shipped domains.json is what we use.
// Only the store, the CLI and the Gmail face (server-side) load this module: the Outlook task
// pane asks the store (GET /api/v1/client-time), so the list never weighs on its first paint.
import maintainedList from 'free-email-domains';

/**
 * Providers the maintained list lacks, mostly Chinese and regional ones our reps' buyers use.
 * Checked against the package on each upgrade by test/core/clienttime/free-mail.test.ts.
 */
export const FREE_MAIL_SUPPLEMENT: readonly string[] = [
  // China: paid "VIP" boxes of the big free providers, mobile carriers' mail, portals
  'vip.163.com', 'vip.126.com', 'vip.qq.com', 'vip.sina.com', 'vip.sohu.com', 'vip.tom.com', '188.com', '139.com', '189.cn', 'wo.cn', 'wo.com.cn',
  'sina.cn', 'yeah.net', 'aliyun.com', 'tom.com', '21cn.com', '263.net', '163.net', 'qq.cn',
  // elsewhere: Taiwan and Hong Kong ISPs, US cable, Korea, Russia, Japan
  'hinet.net', 'ms1.hinet.net', 'netvigator.com', 'comcast.net', 'naver.com', 'nate.com', 'mail.ru', 'yandex.ru', 'ya.ru', 'docomo.ne.jp', 'ezweb.ne.jp',
  'tutanota.com',
];

/**
 * Provider names that are free-mail under every ending (yahoo.co.uk, hotmail.fr, gmx.at,
 * yandex.kz …): the list cannot hold every country's variant.
 */
const PROVIDER_NAMES = new Set(['yahoo', 'ymail', 'hotmail', 'outlook', 'live', 'gmx', 'yandex', 'ya', 'zoho', 'aol', 'protonmail']);

let domains: Set<string> | undefined;

/** Whether anyone can sign up for an address at this domain ('vip.qq.com', 'yahoo.co.jp'); `providerLabel` is the label before the public suffix. */
export function isFreeMailDomain(domain: string, providerLabel?: string): boolean {
  domains ??= new Set([...(maintainedList as readonly string[]), ...FREE_MAIL_SUPPLEMENT].map((d) => d.toLowerCase()));
  const lower = domain.toLowerCase();
  return domains.has(lower) || (providerLabel !== undefined && PROVIDER_NAMES.has(providerLabel.toLowerCase()));
}
