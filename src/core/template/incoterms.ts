/**
 * Incoterms® 2020 rules, code → name, in the wording the ICC's own translations use. Languages
 * not listed fall back to English, which is also what most contracts quote.
 */
export const INCOTERMS_2020 = ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'] as const;
export type Incoterm = (typeof INCOTERMS_2020)[number];

const NAMES: Record<string, Record<Incoterm, string>> = {
  en: {
    EXW: 'Ex Works',
    FCA: 'Free Carrier',
    CPT: 'Carriage Paid To',
    CIP: 'Carriage and Insurance Paid To',
    DAP: 'Delivered at Place',
    DPU: 'Delivered at Place Unloaded',
    DDP: 'Delivered Duty Paid',
    FAS: 'Free Alongside Ship',
    FOB: 'Free On Board',
    CFR: 'Cost and Freight',
    CIF: 'Cost, Insurance and Freight',
  },
  es: {
    EXW: 'En fábrica',
    FCA: 'Franco transportista',
    CPT: 'Transporte pagado hasta',
    CIP: 'Transporte y seguro pagados hasta',
    DAP: 'Entregada en lugar',
    DPU: 'Entregada en lugar descargada',
    DDP: 'Entregada derechos pagados',
    FAS: 'Franco al costado del buque',
    FOB: 'Franco a bordo',
    CFR: 'Coste y flete',
    CIF: 'Coste, seguro y flete',
  },
  zh: {
    EXW: '工厂交货',
    FCA: '货交承运人',
    CPT: '运费付至',
    CIP: '运费和保险费付至',
    DAP: '目的地交货',
    DPU: '卸货地交货',
    DDP: '完税后交货',
    FAS: '船边交货',
    FOB: '船上交货',
    CFR: '成本加运费',
    CIF: '成本、保险费加运费',
  },
  ar: {
    EXW: 'التسليم في مكان العمل',
    FCA: 'التسليم إلى الناقل',
    CPT: 'أجرة النقل مدفوعة إلى',
    CIP: 'أجرة النقل والتأمين مدفوعان إلى',
    DAP: 'التسليم في المكان',
    DPU: 'التسليم في المكان بعد التفريغ',
    DDP: 'التسليم مع دفع الرسوم',
    FAS: 'التسليم بجانب السفينة',
    FOB: 'التسليم على ظهر السفينة',
    CFR: 'التكلفة وأجرة الشحن',
    CIF: 'التكلفة والتأمين وأجرة الشحن',
  },
  fr: {
    EXW: 'À l’usine',
    FCA: 'Franco transporteur',
    CPT: 'Port payé jusqu’à',
    CIP: 'Port payé, assurance comprise, jusqu’à',
    DAP: 'Rendu au lieu de destination',
    DPU: 'Rendu au lieu de destination déchargé',
    DDP: 'Rendu droits acquittés',
    FAS: 'Franco le long du navire',
    FOB: 'Franco à bord',
    CFR: 'Coût et fret',
    CIF: 'Coût, assurance et fret',
  },
  de: {
    EXW: 'Ab Werk',
    FCA: 'Frei Frachtführer',
    CPT: 'Frachtfrei',
    CIP: 'Frachtfrei versichert',
    DAP: 'Geliefert benannter Ort',
    DPU: 'Geliefert benannter Ort entladen',
    DDP: 'Geliefert verzollt',
    FAS: 'Frei Längsseite Schiff',
    FOB: 'Frei an Bord',
    CFR: 'Kosten und Fracht',
    CIF: 'Kosten, Versicherung und Fracht',
  },
  pt: {
    EXW: 'Na origem',
    FCA: 'Livre no transportador',
    CPT: 'Transporte pago até',
    CIP: 'Transporte e seguro pagos até',
    DAP: 'Entregue no local',
    DPU: 'Entregue no local desembarcado',
    DDP: 'Entregue com direitos pagos',
    FAS: 'Livre ao lado do navio',
    FOB: 'Livre a bordo',
    CFR: 'Custo e frete',
    CIF: 'Custo, seguro e frete',
  },
};

export function isIncoterm(code: string): code is Incoterm {
  return (INCOTERMS_2020 as readonly string[]).includes(code);
}

/**
 * "FOB" → "Free On Board"; "fob Ningbo" → "Free On Board Ningbo" (a named place is kept). Text that
 * does not start with an Incoterms 2020 code comes back as it was.
 */
export function describeIncoterm(text: string, language: string): string {
  const m = /^\s*([A-Za-z]{3})\b(.*)$/s.exec(text);
  const code = m?.[1]?.toUpperCase();
  if (!m || !code || !isIncoterm(code)) return text;
  const table = NAMES[language.toLowerCase().split('-')[0]!] ?? NAMES.en!;
  return table[code] + m[2]!.replace(/\s+$/, '');
}
