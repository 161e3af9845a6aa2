/** IMAP/SMTP host presets and settings shapes, apart from the adapter so listing them loads no mail library. */

export type ImapSecurity = 'tls' | 'starttls' | 'none';
export interface Endpoint {
  host: string;
  port: number;
  /** tls: implicit TLS (993/465); starttls: upgrade required; none: plaintext, loopback only (tests). */
  security: ImapSecurity;
}
export interface ImapSettings {
  preset: ImapPreset;
  imap: Endpoint;
  smtp: Endpoint;
  /** Login name when it is not the address. */
  username?: string | undefined;
}

export const IMAP_PRESETS = {
  tencent: { label: 'Tencent Exmail (腾讯企业邮)', imap: { host: 'imap.exmail.qq.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.exmail.qq.com', port: 465, security: 'tls' } },
  alibaba: { label: 'Alibaba Mail (阿里企业邮箱)', imap: { host: 'imap.qiye.aliyun.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.qiye.aliyun.com', port: 465, security: 'tls' } },
  netease: { label: 'NetEase enterprise mail (网易企业邮箱)', imap: { host: 'imap.qiye.163.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.qiye.163.com', port: 465, security: 'tls' } },
  zoho: { label: 'Zoho Mail', imap: { host: 'imap.zoho.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.zoho.com', port: 465, security: 'tls' } },
  outlook: { label: 'Outlook.com', imap: { host: 'outlook.office365.com', port: 993, security: 'tls' }, smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' } },
} as const satisfies Record<string, { label: string; imap: Endpoint; smtp: Endpoint }>;
export type ImapPreset = keyof typeof IMAP_PRESETS | 'custom';
export const IMAP_PRESET_NAMES = [...Object.keys(IMAP_PRESETS), 'custom'] as ImapPreset[];

