import { normaliseForScan } from './find.js';

/**
 * The wording of the two stories payment fraud tells: "our bank account has changed" and "as we
 * agreed last time" (a relationship claimed by someone who never wrote before). One list per
 * language; each pattern is matched on whole words, case-insensitively, after NFKC folding.
 */

export type WordingLanguage = 'en' | 'zh' | 'es' | 'ar' | 'de' | 'fr' | 'pt' | 'ru' | 'tr';

// A word boundary that knows letters beyond ASCII (\b does not, even with the u flag).
const words = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, 'iu');
// Chinese has no spaces between words: a plain substring match.
const plain = (pattern: string) => new RegExp(pattern, 'u');

const ACCOUNT_CHANGE: Record<WordingLanguage, RegExp[]> = {
  en: [
    words('(?:new|updated|changed|different|alternative|another)\\s+(?:bank(?:ing)?\\s+)?(?:account|bank details|banking details|beneficiary|bank|remittance details|payment details|wire instructions)'),
    words('change\\s+(?:of|in|to)\\s+(?:our\\s+|the\\s+)?(?:bank|account|banking|payment details|beneficiary|remittance)\\w*'),
    words('(?:our|the)\\s+(?:bank\\s+)?account\\s+(?:has\\s+been\\s+|has\\s+|was\\s+|is\\s+)?(?:changed|updated|under audit|under review|frozen|suspended|closed)'),
    words('(?:do not|don\'t|stop)\\s+(?:pay|send|remit|transfer)\\w*\\s+(?:\\w+\\s+){0,3}(?:old|previous|usual)\\s+account'),
  ],
  zh: [
    plain('(?:更改|更换|变更|修改|改变|更新|換|更換|變更)了?(?:我们|我司|公司|本公司)?的?(?:银行|收款|付款|銀行)?(?:账户|帐户|账号|帐号|帳戶|帳號|银行信息|银行资料|收款信息|账户信息)'),
    plain('新的?(?:银行|收款|銀行)?(?:账户|帐户|账号|帐号|帳戶|帳號)'),
    plain('(?:账户|帐户|账号|帐号|帳戶)(?:已经|已)?(?:变更|更改|更换|冻结|凍結|變更|被冻结|审计|审核)'),
  ],
  es: [
    words('nuev[oa]s?\\s+(?:cuenta|datos bancarios|banco|número de cuenta)'),
    words('cuenta\\s+(?:bancaria\\s+)?nueva'),
    words('(?:cambio|cambiamos|hemos cambiado|cambiado|cambiar)\\s+(?:de\\s+|nuestra\\s+|la\\s+|los\\s+)*(?:cuenta|banco|datos bancarios)'),
  ],
  // Arabic writes و (and), ب (by), ل (for), ف and ك onto the next word: one may come first.
  ar: [
    words('[وفبلك]?حساب\\S*(?:\\s+\\S+)?\\s+(?:ال)?جديد\\S*'),
    words('[وفبلك]?(?:تغيير|تعديل|تحديث)\\s+(?:رقم\\s+|بيانات\\s+|تفاصيل\\s+)?(?:ال)?(?:حساب|بنك|مصرف)\\S*'),
    words('[وفبلك]?(?:بنك|مصرف)\\s+جديد'),
  ],
  de: [
    words('neue[nrs]?\\s+(?:bank)?(?:konto|kontoverbindung|bankverbindung|iban|kontodaten)'),
    words('(?:konto|bank)(?:änderung|wechsel)'),
    words('geänderte[nr]?\\s+(?:bank|konto)\\S*'),
    words('(?:bankverbindung|kontoverbindung|konto)\\s+(?:hat\\s+sich\\s+)?geändert'),
  ],
  fr: [
    words('nouve(?:au|l)\\s+(?:compte|rib|iban)'),
    words('nouvelles?\\s+coordonn[ée]es\\s+bancaires'),
    words('changement\\s+de\\s+(?:compte|banque|rib|coordonn[ée]es)'),
    words('(?:compte|rib)\\s+(?:bancaire\\s+)?a\\s+changé'),
  ],
  pt: [
    words('nova\\s+conta'),
    words('novos\\s+dados\\s+banc[áa]rios'),
    words('(?:mudan[çc]a|altera[çc][ãa]o|troca)\\s+d[eao]s?\\s+(?:conta|banco|dados\\s+banc[áa]rios)'),
  ],
  ru: [
    words('нов(?:ый|ого|ые|ых|ому|ом)\\s+(?:банковск\\S*\\s+|расч[её]тн\\S*\\s+)?(?:сч[её]т\\S*|реквизит\\S*|банк\\S*)'),
    words('(?:изменени|смен)\\S*\\s+(?:банковск\\S*\\s+|платежн\\S*\\s+)?(?:сч[её]т\\S*|реквизит\\S*|банк\\S*)'),
    words('реквизиты\\s+изменил\\S*'),
  ],
  tr: [
    words('yeni\\s+(?:banka\\s+)?(?:hesab\\S*|hesap\\S*|iban\\S*)'),
    words('(?:hesap|banka|iban)\\S*\\s+(?:bilgi\\S*\\s+)?de[ğg]i[şs]\\S*'),
  ],
};

const RELATIONSHIP_CLAIM: Record<WordingLanguage, RegExp[]> = {
  en: [
    words('as (?:discussed|agreed|promised|per our (?:last |previous |recent )?(?:call|conversation|discussion|agreement|meeting))'),
    words('(?:our|your) (?:ongoing|existing|long-standing|previous|last|pending|outstanding|overdue) (?:order|invoice|payment|business|relationship|contract|shipment|balance)s?'),
    words('(?:outstanding|overdue|pending|unpaid) (?:invoice|payment|balance)s?'),
  ],
  zh: [plain('(?:如前所述|如之前|正如我们|上次的?订单|之前的?订单|未付(?:的)?(?:发票|款项|货款)|逾期(?:的)?(?:发票|付款)|我们的合作|双方的合作|尾款)')],
  es: [words('(?:como (?:acordamos|hablamos|lo acordado)|factura (?:pendiente|vencida)|pago pendiente|nuestra relación comercial|pedido anterior)')],
  ar: [words('(?:كما اتفقنا|كما ناقشنا|الفاتورة المستحقة|الفواتير المستحقة|الدفعة المستحقة|طلبنا السابق)')],
  de: [words('(?:wie besprochen|wie vereinbart|offene rechnung\\S*|ausstehende zahlung\\S*|überfällige rechnung\\S*|unsere bisherige zusammenarbeit)')],
  fr: [words('(?:comme convenu|comme discuté|facture (?:en attente|impayée|en souffrance)|paiement en attente|notre collaboration)')],
  pt: [words('(?:conforme (?:combinado|conversado)|fatura (?:pendente|em aberto|vencida)|pagamento pendente|nossa parceria)')],
  ru: [words('(?:как договаривались|как обсуждали|неоплаченн\\S* сч[её]т\\S*|просроченн\\S* (?:сч[её]т|платеж|оплат)\\S*|наше сотрудничество)')],
  tr: [words('(?:konuştuğumuz gibi|anlaştığımız gibi|ödenmemiş fatura\\S*|vadesi geçmiş\\S*|bekleyen ödeme\\S*)')],
};

export interface WordingHit {
  language: WordingLanguage;
  /** The words as written (at most 80 characters), to quote back to the rep. */
  phrase: string;
}

function firstHit(table: Record<WordingLanguage, RegExp[]>, text: string): WordingHit | null {
  const folded = normaliseForScan(text);
  for (const [language, patterns] of Object.entries(table) as [WordingLanguage, RegExp[]][]) {
    for (const p of patterns) {
      const m = p.exec(folded);
      if (m) return { language, phrase: m[0].slice(0, 80) };
    }
  }
  return null;
}

/** "We have a new bank account", in any of the languages above. */
export const findAccountChangeWording = (text: string): WordingHit | null => firstHit(ACCOUNT_CHANGE, text);

/** "As agreed, please settle the outstanding invoice": a claim of an existing relationship. */
export const findRelationshipClaim = (text: string): WordingHit | null => firstHit(RELATIONSHIP_CLAIM, text);
