/**
 * The words printed on a trade document, per language. A document is written in the buyer's
 * language (not the rep's UI language), so this catalogue is separate from the faces' UI
 * catalogues. Bank-facing codes (IBAN, SWIFT/BIC) stay as banks print them.
 */

export const DOCUMENT_LANGUAGES = ['en', 'es', 'zh', 'ar', 'de', 'fr'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export const DOCUMENT_KINDS = ['proforma', 'quotation'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The payment terms packs offer as choices (the demo pack's), worded for the document. Other values print as typed. */
export const PAYMENT_TERM_CODES = ['tt-30-70', 'lc-at-sight', 'tt-in-advance'] as const;

export interface DocumentLabels {
  proforma: string;
  quotation: string;
  number: string;
  date: string;
  reference: string;
  seller: string;
  buyer: string;
  lineNo: string;
  item: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  total: string;
  delivery: string;
  payment: string;
  validUntil: string;
  leadTime: string;
  /** "{days} days" */
  leadTimeDays: string;
  bankDetails: string;
  beneficiary: string;
  bank: string;
  bankAddress: string;
  iban: string;
  accountNumber: string;
  swift: string;
  currency: string;
  taxId: string;
  phone: string;
  email: string;
  /** "Page {page} of {pages}" */
  page: string;
  /** Printed under the bank details: the trade's own advice against payment-change fraud. */
  bankWarning: string;
  /** When the company profile has no account in the document's currency. */
  noBankAccount: string;
  paymentTerms: Record<(typeof PAYMENT_TERM_CODES)[number], string>;
}

export const DOCUMENT_LABELS: Record<DocumentLanguage, DocumentLabels> = {
  en: {
    proforma: 'Proforma invoice',
    quotation: 'Quotation',
    number: 'No.',
    date: 'Date',
    reference: 'Reference',
    seller: 'Seller',
    buyer: 'Buyer',
    lineNo: '#',
    item: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    amount: 'Amount',
    total: 'Total',
    delivery: 'Terms of delivery',
    payment: 'Payment terms',
    validUntil: 'Valid until',
    leadTime: 'Lead time',
    leadTimeDays: '{days} days',
    bankDetails: 'Bank details',
    beneficiary: 'Beneficiary',
    bank: 'Bank',
    bankAddress: 'Bank address',
    iban: 'IBAN',
    accountNumber: 'Account no.',
    swift: 'SWIFT/BIC',
    currency: 'Currency',
    taxId: 'Tax ID',
    phone: 'Phone',
    email: 'Email',
    page: 'Page {page} of {pages}',
    bankWarning: 'Pay only to the account above. We never change our bank details by email: confirm any change by phone.',
    noBankAccount: 'Bank details will be sent separately by our finance department.',
    paymentTerms: {
      'tt-30-70': '30% T/T deposit with the order, balance of 70% against copy of the B/L',
      'lc-at-sight': 'Irrevocable L/C at sight',
      'tt-in-advance': '100% T/T in advance',
    },
  },
  es: {
    proforma: 'Factura proforma',
    quotation: 'Cotización',
    number: 'N.º',
    date: 'Fecha',
    reference: 'Referencia',
    seller: 'Vendedor',
    buyer: 'Comprador',
    lineNo: 'N.º',
    item: 'Descripción',
    quantity: 'Cantidad',
    unitPrice: 'Precio unitario',
    amount: 'Importe',
    total: 'Total',
    delivery: 'Condiciones de entrega',
    payment: 'Forma de pago',
    validUntil: 'Válida hasta',
    leadTime: 'Plazo de entrega',
    leadTimeDays: '{days} días',
    bankDetails: 'Datos bancarios',
    beneficiary: 'Beneficiario',
    bank: 'Banco',
    bankAddress: 'Dirección del banco',
    iban: 'IBAN',
    accountNumber: 'N.º de cuenta',
    swift: 'SWIFT/BIC',
    currency: 'Moneda',
    taxId: 'Id. fiscal',
    phone: 'Teléfono',
    email: 'Correo',
    page: 'Página {page} de {pages}',
    bankWarning: 'Pague únicamente a la cuenta indicada. Nunca cambiamos nuestros datos bancarios por correo electrónico: confirme cualquier cambio por teléfono.',
    noBankAccount: 'Nuestro departamento financiero le enviará los datos bancarios por separado.',
    paymentTerms: {
      'tt-30-70': '30 % de anticipo por transferencia (T/T) con el pedido y el 70 % restante contra copia del B/L',
      'lc-at-sight': 'Carta de crédito irrevocable a la vista',
      'tt-in-advance': '100 % por transferencia (T/T) por adelantado',
    },
  },
  zh: {
    proforma: '形式发票',
    quotation: '报价单',
    number: '编号',
    date: '日期',
    reference: '参考号',
    seller: '卖方',
    buyer: '买方',
    lineNo: '序号',
    item: '品名',
    quantity: '数量',
    unitPrice: '单价',
    amount: '金额',
    total: '合计',
    delivery: '交货条件',
    payment: '付款方式',
    validUntil: '有效期至',
    leadTime: '交货期',
    leadTimeDays: '{days} 天',
    bankDetails: '收款银行信息',
    beneficiary: '收款人',
    bank: '开户银行',
    bankAddress: '银行地址',
    iban: 'IBAN',
    accountNumber: '账号',
    swift: 'SWIFT/BIC',
    currency: '币种',
    taxId: '税号',
    phone: '电话',
    email: '邮箱',
    page: '第 {page} 页，共 {pages} 页',
    bankWarning: '请仅向上述账户付款。我司从不通过邮件变更收款账户，如有变更请电话确认。',
    noBankAccount: '收款账户信息将由我司财务部另行发送。',
    paymentTerms: {
      'tt-30-70': '下单时电汇 30% 定金，余款 70% 见提单副本支付',
      'lc-at-sight': '不可撤销即期信用证',
      'tt-in-advance': '100% 电汇预付',
    },
  },
  ar: {
    proforma: 'فاتورة مبدئية',
    quotation: 'عرض سعر',
    number: 'رقم',
    date: 'التاريخ',
    reference: 'المرجع',
    seller: 'البائع',
    buyer: 'المشتري',
    lineNo: 'م',
    item: 'الوصف',
    quantity: 'الكمية',
    unitPrice: 'سعر الوحدة',
    amount: 'المبلغ',
    total: 'الإجمالي',
    delivery: 'شروط التسليم',
    payment: 'شروط الدفع',
    validUntil: 'صالح حتى',
    leadTime: 'مدة التسليم',
    leadTimeDays: '{days} يومًا',
    bankDetails: 'البيانات المصرفية',
    beneficiary: 'المستفيد',
    bank: 'البنك',
    bankAddress: 'عنوان البنك',
    iban: 'IBAN',
    accountNumber: 'رقم الحساب',
    swift: 'SWIFT/BIC',
    currency: 'العملة',
    taxId: 'الرقم الضريبي',
    phone: 'الهاتف',
    email: 'البريد الإلكتروني',
    page: 'صفحة {page} من {pages}',
    bankWarning: 'يرجى الدفع إلى الحساب أعلاه فقط. لا نغير بياناتنا المصرفية عبر البريد الإلكتروني أبدًا، فيرجى تأكيد أي تغيير هاتفيًا.',
    noBankAccount: 'سترسل إليكم الإدارة المالية البيانات المصرفية بشكل منفصل.',
    paymentTerms: {
      'tt-30-70': 'دفعة مقدمة 30% بالتحويل البنكي مع الطلب، والرصيد 70% مقابل نسخة من بوليصة الشحن',
      'lc-at-sight': 'اعتماد مستندي غير قابل للإلغاء يدفع عند الاطلاع',
      'tt-in-advance': 'تحويل بنكي 100% مقدمًا',
    },
  },
  de: {
    proforma: 'Proforma-Rechnung',
    quotation: 'Angebot',
    number: 'Nr.',
    date: 'Datum',
    reference: 'Referenz',
    seller: 'Verkäufer',
    buyer: 'Käufer',
    lineNo: 'Pos.',
    item: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    amount: 'Betrag',
    total: 'Gesamtbetrag',
    delivery: 'Lieferbedingungen',
    payment: 'Zahlungsbedingungen',
    validUntil: 'Gültig bis',
    leadTime: 'Lieferzeit',
    leadTimeDays: '{days} Tage',
    bankDetails: 'Bankverbindung',
    beneficiary: 'Begünstigter',
    bank: 'Bank',
    bankAddress: 'Anschrift der Bank',
    iban: 'IBAN',
    accountNumber: 'Kontonummer',
    swift: 'SWIFT/BIC',
    currency: 'Währung',
    taxId: 'Steuernummer',
    phone: 'Telefon',
    email: 'E-Mail',
    page: 'Seite {page} von {pages}',
    bankWarning: 'Zahlen Sie nur auf das oben genannte Konto. Wir ändern unsere Bankverbindung nie per E-Mail: Bestätigen Sie jede Änderung telefonisch.',
    noBankAccount: 'Die Bankverbindung erhalten Sie gesondert von unserer Finanzabteilung.',
    paymentTerms: {
      'tt-30-70': '30 % Anzahlung per Überweisung (T/T) bei Auftrag, Restzahlung 70 % gegen Kopie des Konnossements',
      'lc-at-sight': 'Unwiderrufliches Sichtakkreditiv',
      'tt-in-advance': '100 % Vorauszahlung per Überweisung (T/T)',
    },
  },
  fr: {
    proforma: 'Facture proforma',
    quotation: 'Devis',
    number: 'N°',
    date: 'Date',
    reference: 'Référence',
    seller: 'Vendeur',
    buyer: 'Acheteur',
    lineNo: 'N°',
    item: 'Désignation',
    quantity: 'Quantité',
    unitPrice: 'Prix unitaire',
    amount: 'Montant',
    total: 'Total',
    delivery: 'Conditions de livraison',
    payment: 'Conditions de paiement',
    validUntil: 'Valable jusqu’au',
    leadTime: 'Délai de livraison',
    leadTimeDays: '{days} jours',
    bankDetails: 'Coordonnées bancaires',
    beneficiary: 'Bénéficiaire',
    bank: 'Banque',
    bankAddress: 'Adresse de la banque',
    iban: 'IBAN',
    accountNumber: 'N° de compte',
    swift: 'SWIFT/BIC',
    currency: 'Devise',
    taxId: 'Identifiant fiscal',
    phone: 'Téléphone',
    email: 'E-mail',
    page: 'Page {page} sur {pages}',
    bankWarning: 'Payez uniquement sur le compte ci-dessus. Nous ne modifions jamais nos coordonnées bancaires par e-mail : confirmez tout changement par téléphone.',
    noBankAccount: 'Nos coordonnées bancaires vous seront envoyées séparément par notre service financier.',
    paymentTerms: {
      'tt-30-70': 'Acompte de 30 % par virement (T/T) à la commande, solde de 70 % contre copie du connaissement',
      'lc-at-sight': 'Crédit documentaire irrévocable à vue',
      'tt-in-advance': '100 % par virement (T/T) à l’avance',
    },
  },
};

/** "zh-CN" → "zh", "es-MX" → "es"; undefined for a language documents are not written in. */
export function documentLanguageOf(tag: string): DocumentLanguage | undefined {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (DOCUMENT_LANGUAGES as readonly string[]).includes(base) ? (base as DocumentLanguage) : undefined;
}

/** The locale numbers and dates are printed in. Arabic documents use Western digits, which banks and customs read everywhere. */
export function documentLocale(language: DocumentLanguage): string {
  return language === 'ar' ? 'ar-u-nu-latn' : language;
}
