import type { UiLanguage } from '../i18n/index.js';

/**
 * What a choice means, in the rep's UI language, for the codes packs offer as choices: payment
 * terms (`tt-30-70`) and Incoterms® 2020 rules (`FOB`). Both faces show it beside the code (the
 * Outlook pane's list and hint, the Gmail card's dropdown), so a rep understands a choice without
 * asking. The buyer-facing wording of a document is core/documents/labels.ts, in the buyer's
 * language; this is the rep's explanation. Unknown codes have no meaning: they show as written.
 */

const PAYMENT_TERMS: Record<string, Record<UiLanguage, string>> = {
  'tt-30-70': { en: '30 % deposit by T/T with the order, 70 % by T/T against a copy of the B/L', 'zh-CN': '下单时电汇 30% 定金，余款 70% 见提单副本电汇' },
  'lc-at-sight': { en: 'irrevocable letter of credit, paid at sight', 'zh-CN': '不可撤销即期信用证，见单即付' },
  'tt-in-advance': { en: '100 % by T/T before shipment', 'zh-CN': '发货前 100% 电汇' },
};

/** Incoterms® 2020, one line each: who carries the goods how far, and where the risk passes. */
const INCOTERMS: Record<string, Record<UiLanguage, string>> = {
  EXW: { en: 'Ex Works: the buyer collects at the seller’s premises and bears all costs and risks from there', 'zh-CN': '工厂交货：买方在卖方场所提货，此后的全部费用和风险由买方承担' },
  FCA: { en: 'Free Carrier: the seller hands the goods, cleared for export, to the buyer’s carrier at the named place', 'zh-CN': '货交承运人：卖方在指定地点把已办出口清关的货物交给买方的承运人' },
  CPT: { en: 'Carriage Paid To: the seller pays transport to the destination; the risk passes at the first carrier', 'zh-CN': '运费付至：卖方支付至目的地的运费；货交第一承运人时风险转移' },
  CIP: { en: 'Carriage and Insurance Paid To: as CPT, and the seller also insures the goods (all risks)', 'zh-CN': '运费和保险费付至：同 CPT，卖方另须为货物投保（一切险）' },
  DAP: { en: 'Delivered at Place: the seller delivers to the named place, ready for unloading; the buyer pays import duties', 'zh-CN': '目的地交货：卖方把货物运到指定地点待卸；进口关税由买方支付' },
  DPU: { en: 'Delivered at Place Unloaded: the seller delivers to the named place and unloads the goods there', 'zh-CN': '卸货地交货：卖方把货物运到指定地点并卸货' },
  DDP: { en: 'Delivered Duty Paid: the seller delivers to the named place with import duties and taxes paid', 'zh-CN': '完税后交货：卖方把货物运到指定地点，并缴清进口关税和税费' },
  FAS: { en: 'Free Alongside Ship: the seller places the goods alongside the ship at the port of shipment', 'zh-CN': '船边交货：卖方把货物运到装运港的船边' },
  FOB: { en: 'Free On Board: the seller loads the goods on the ship at the port of shipment; the risk passes once on board', 'zh-CN': '船上交货：卖方在装运港把货物装上船；装船后风险转移' },
  CFR: { en: 'Cost and Freight: the seller pays sea freight to the destination port; the risk passes once on board', 'zh-CN': '成本加运费：卖方支付至目的港的海运费；装船后风险转移' },
  CIF: { en: 'Cost, Insurance and Freight: as CFR, and the seller also insures the goods to the destination port', 'zh-CN': '成本、保险费加运费：同 CFR，卖方另须为货物投保至目的港' },
};

/** The meaning of one choice, or undefined when the code is not one we know. */
export function choiceMeaning(option: string, language: UiLanguage): string | undefined {
  return (PAYMENT_TERMS[option.toLowerCase()] ?? INCOTERMS[option.toUpperCase()])?.[language];
}

/** A choice as a list shows it: the code and, when known, what it means. */
export function choiceText(option: string, language: UiLanguage): string {
  const meaning = choiceMeaning(option, language);
  return meaning ? `${option} — ${meaning}` : option;
}
