import type { Actor } from '../auth/principal.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { badRequest, type ErrorDetail } from '../errors.js';
import { audit } from './audit.js';
import { canonicalAccountNumber, canonicalBic, canonicalIban } from '../../core/payment/accounts.js';
import type { BankAccount, CompanyProfile, CompanyProfileInput, CompanyProfileView } from '../../contract/company.js';

export type { BankAccount, CompanyProfile } from '../../contract/company.js';

/**
 * The company's official profile: its legal details and the only bank accounts buyers are told
 * to pay into. Written by an admin (audited), read by trade documents, payment templates and the
 * payment guard. A tenant that has not filled it in has an empty profile named after the tenant.
 */
export async function getCompanyProfile(tdb: TenantDb): Promise<CompanyProfile> {
  const { updatedAt: _at, updatedBy: _by, ...profile } = await getCompanyProfileView(tdb);
  return profile;
}

export async function getCompanyProfileView(tdb: TenantDb): Promise<CompanyProfileView> {
  const row = await tdb.selectFrom('company_profiles').selectAll().executeTakeFirst();
  if (row) return { ...(JSON.parse(row.document) as CompanyProfile), updatedAt: row.updated_at, updatedBy: row.updated_by };
  const tenant = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  return { legalName: tenant?.name ?? '', address: null, phone: null, email: null, website: null, taxId: null, bankAccounts: [], updatedAt: null, updatedBy: null };
}

// Control characters (a NUL, an escape) have no place in an address printed on a PI.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const CURRENCY = /^[A-Z]{3}$/;

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Checks and normalises an admin's profile; every problem is reported at once, each with its path. */
export function checkCompanyProfile(input: CompanyProfileInput): CompanyProfile {
  const problems: ErrorDetail[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string' && CONTROL.test(value)) problems.push({ path, message: 'contains a control character' });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(input, '');
  const legalName = input.legalName.trim();
  if (!legalName) problems.push({ path: 'legalName', message: 'is empty' });
  const email = text(input.email);
  if (email && !EMAIL.test(email)) problems.push({ path: 'email', message: `"${email}" is not an e-mail address` });
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const bankAccounts: BankAccount[] = input.bankAccounts.map((a, i) => {
    const at = `bankAccounts[${i}]`;
    const rawIban = text(a.iban);
    const iban = rawIban ? canonicalIban(rawIban) : null;
    if (rawIban && !iban) problems.push({ path: `${at}.iban`, message: `"${rawIban}" is not a valid IBAN (country, length or check digits)` });
    const rawSwift = text(a.swift);
    const swift = rawSwift ? canonicalBic(rawSwift) : null;
    if (rawSwift && !swift) problems.push({ path: `${at}.swift`, message: `"${rawSwift}" is not a SWIFT/BIC code (8 or 11 characters: bank, country, location, branch)` });
    const rawNumber = text(a.accountNumber);
    const accountNumber = rawNumber ? canonicalAccountNumber(rawNumber) : null;
    if (rawNumber && (!accountNumber || accountNumber.length < 5 || accountNumber.length > 34)) problems.push({ path: `${at}.accountNumber`, message: 'must have 5 to 34 letters and digits' });
    if (!rawIban && !rawNumber) problems.push({ path: `${at}.iban`, message: 'give an IBAN or an account number' });
    const currency = text(a.currency)?.toUpperCase() ?? null;
    if (currency && !CURRENCY.test(currency)) problems.push({ path: `${at}.currency`, message: `"${currency}" is not an ISO 4217 code such as USD` });
    const id = a.id ?? newId();
    if (ids.has(id)) problems.push({ path: `${at}.id`, message: `id "${id}" is used twice` });
    ids.add(id);
    const key = iban ?? accountNumber;
    if (key && seen.has(key)) problems.push({ path: `${at}.${iban ? 'iban' : 'accountNumber'}`, message: `the same account as bankAccounts[${seen.get(key)}]` });
    if (key) seen.set(key, i);
    return { id, label: a.label.trim(), beneficiary: a.beneficiary.trim(), bankName: a.bankName.trim(), bankAddress: text(a.bankAddress), iban, accountNumber, swift, currency };
  });
  if (problems.length) throw badRequest(`company profile: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  return { legalName, address: text(input.address), phone: text(input.phone), email, website: text(input.website), taxId: text(input.taxId), bankAccounts };
}

/** Replaces the profile (admins only, audited with what changed in the accounts). */
export async function setCompanyProfile(tdb: TenantDb, actor: Actor, input: CompanyProfileInput): Promise<CompanyProfileView> {
  const profile = checkCompanyProfile(input);
  return tdb.transaction(async (t) => {
    const before = await t.selectFrom('company_profiles').select('document').executeTakeFirst();
    const old = before ? (JSON.parse(before.document) as CompanyProfile) : null;
    const now = nowIso();
    await t.upsert('company_profiles', { document: JSON.stringify(profile), updated_by: actor.label, updated_at: now }, [], { document: JSON.stringify(profile), updated_by: actor.label, updated_at: now });
    const accountKey = (a: BankAccount) => `${a.iban ?? a.accountNumber ?? ''}|${a.swift ?? ''}`;
    const oldKeys = new Set((old?.bankAccounts ?? []).map(accountKey));
    const newKeys = new Set(profile.bankAccounts.map(accountKey));
    // Bank details are what a fraudster would change: the audit names the accounts (masked) added and removed.
    const mask = (key: string) => key.replace(/^(.{4}).*(.{4})\|/, '$1…$2|').replace(/\|$/, '');
    await audit(t, actor, 'company-profile.updated', { type: 'company-profile', id: null }, {
      accountsAdded: [...newKeys].filter((k) => !oldKeys.has(k)).map(mask),
      accountsRemoved: [...oldKeys].filter((k) => !newKeys.has(k)).map(mask),
      legalName: profile.legalName,
    });
    return { ...profile, updatedAt: now, updatedBy: actor.label };
  });
}
