import { canonicalAccountNumber, type KnownAccounts } from './accounts.js';
import { findBankDetails, maskAccount, type FoundBankDetail } from './find.js';
import { findLookalike, registrableDomain, type Lookalike, type LookalikeHow } from './lookalike.js';
import { findAccountChangeWording, findRelationshipClaim, type WordingLanguage } from './wording.js';

/**
 * The payment guard's verdicts, as codes with parameters: the faces word them in the rep's
 * language (their i18n catalogues), so nothing here is English meant for a person.
 */
export type PaymentFinding =
  /** Outgoing: bank details that are not one of the company's official accounts. */
  | { code: 'account.unofficial'; params: { kind: FoundBankDetail['kind']; account: string } }
  /** An IBAN-shaped number whose check digits fail: a typo, or a doctored number. */
  | { code: 'iban.invalid'; params: { account: string } }
  /** Incoming: the sender's domain imitates one we know. */
  | { code: 'domain.lookalike'; params: { domain: string; known: string; how: LookalikeHow } }
  /** Incoming: answers would go to another domain than the sender's. */
  | { code: 'reply-to.other-domain'; params: { from: string; replyTo: string } }
  /** Incoming: bank details other than those this company used before. */
  | { code: 'account.differs'; params: { account: string } }
  /** Incoming: bank details from a company whose accounts are not on file yet. */
  | { code: 'account.new'; params: { account: string } }
  /** Incoming: "our bank account has changed". */
  | { code: 'account.change-wording'; params: { phrase: string; language: WordingLanguage } }
  /** Incoming: the first mail ever from this domain speaks of an existing relationship. */
  | { code: 'domain.first-contact'; params: { domain: string; phrase: string } };

export type PaymentFindingCode = PaymentFinding['code'];

/** alert: the rep must stop and confirm by phone; notice: worth a look, not an alarm. */
export const FINDING_SEVERITY: Record<PaymentFindingCode, 'alert' | 'notice'> = {
  'account.unofficial': 'alert',
  'iban.invalid': 'alert',
  'domain.lookalike': 'alert',
  'reply-to.other-domain': 'alert',
  'account.differs': 'alert',
  'account.new': 'notice',
  'account.change-wording': 'alert',
  'domain.first-contact': 'alert',
};

/** The pack's `policies.payments`: what happens to a draft that carries unofficial bank details. */
export const PAYMENT_POLICIES = ['warn', 'block', 'off'] as const;
export type PaymentPolicy = (typeof PAYMENT_POLICIES)[number];
export const DEFAULT_PAYMENT_POLICY: PaymentPolicy = 'warn';

export interface OutgoingCheck {
  action: 'allow' | 'warn' | 'block';
  findings: PaymentFinding[];
  /** How many of the bank details found are official ones. */
  official: number;
}

/** Is this one of the known accounts? A bare account number also matches the end of a known IBAN (its BBAN). */
function isKnownDetail(d: FoundBankDetail, known: KnownAccounts): boolean {
  if (d.kind === 'iban') return known.ibans.has(d.value);
  if (d.kind === 'bic') return known.bics.has(d.value);
  const number = canonicalAccountNumber(d.value);
  return known.accountNumbers.has(number) || (number.length >= 8 && [...known.ibans].some((iban) => iban.endsWith(number)));
}

/**
 * A draft about to be sent: every IBAN, BIC and account number in it must be one of the company's
 * official accounts. The policy decides what a stray one does: warn (the rep may still send),
 * block, or nothing (off).
 */
export function checkOutgoing(text: string, official: KnownAccounts, policy: PaymentPolicy = DEFAULT_PAYMENT_POLICY): OutgoingCheck {
  const findings: PaymentFinding[] = [];
  let matched = 0;
  for (const d of findBankDetails(text)) {
    if (d.kind === 'iban' && !d.valid) findings.push({ code: 'iban.invalid', params: { account: maskAccount(d.value) } });
    else if (isKnownDetail(d, official)) matched++;
    else findings.push({ code: 'account.unofficial', params: { kind: d.kind, account: maskAccount(d.value) } });
  }
  const action = findings.length === 0 || policy === 'off' ? 'allow' : policy;
  return { action, findings, official: matched };
}

export interface IncomingMail {
  from: string;
  replyTo: readonly string[];
  text: string;
  /**
   * Domains known before this mail: customers' and suppliers' that wrote earlier, and our own; or
   * what a KnownDomains index (built once for many mails) answers for them.
   */
  knownDomains: readonly string[] | { lookalike(host: string): Lookalike | null };
  /** Accounts this company used before (and our own official ones, which a buyer may quote back); null when none are on file. */
  knownAccounts: KnownAccounts | null;
  /** No earlier mail from the sender's domain. */
  firstFromDomain: boolean;
}

export interface IncomingCheck {
  verdict: 'ok' | 'notice' | 'suspicious';
  findings: PaymentFinding[];
  /** Canonical bank details the mail carries (to learn a company's accounts when the mail is clean). */
  accounts: string[];
}

/** A mail that arrived: the tricks of payment-change fraud, each a finding. */
export function checkIncoming(mail: IncomingMail): IncomingCheck {
  const findings: PaymentFinding[] = [];
  const fromDomain = registrableDomain(mail.from);
  if (fromDomain) {
    const known = mail.knownDomains;
    const lookalike = 'lookalike' in known ? known.lookalike(fromDomain) : findLookalike(fromDomain, known);
    if (lookalike) findings.push({ code: 'domain.lookalike', params: { domain: fromDomain, known: lookalike.known, how: lookalike.how } });
    const foreign = mail.replyTo.find((r) => {
      const d = registrableDomain(r);
      return d !== null && d !== fromDomain;
    });
    if (foreign) findings.push({ code: 'reply-to.other-domain', params: { from: mail.from, replyTo: foreign } });
  }
  const details = findBankDetails(mail.text);
  const accounts: string[] = [];
  for (const d of details) {
    if (d.kind === 'bic') continue; // a bank's code says which bank, not whose account
    if (d.kind === 'iban' && !d.valid) {
      findings.push({ code: 'iban.invalid', params: { account: maskAccount(d.value) } });
      continue;
    }
    accounts.push(d.value);
    const known = mail.knownAccounts;
    const isKnown = known !== null && isKnownDetail(d, known);
    if (isKnown) continue;
    const onFile = known !== null && (known.ibans.size > 0 || known.accountNumbers.size > 0);
    findings.push({ code: onFile ? 'account.differs' : 'account.new', params: { account: maskAccount(d.value) } });
  }
  const change = findAccountChangeWording(mail.text);
  if (change) findings.push({ code: 'account.change-wording', params: { phrase: change.phrase, language: change.language } });
  if (mail.firstFromDomain && fromDomain) {
    const claim = findRelationshipClaim(mail.text);
    if (claim) findings.push({ code: 'domain.first-contact', params: { domain: fromDomain, phrase: claim.phrase } });
  }
  const verdict = findings.some((f) => FINDING_SEVERITY[f.code] === 'alert') ? 'suspicious' : findings.length ? 'notice' : 'ok';
  return { verdict, findings, accounts };
}
