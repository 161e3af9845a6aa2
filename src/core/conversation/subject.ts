/**
 * Subjects as threading keys: the reply and forward prefixes every mail client adds, in the
 * languages reps meet (Outlook and Foxmail localise them: "AW:" German, "RV:" Spanish forward,
 * "回复：" Chinese with a full-width colon), are stripped, repeatedly and with counters ("Re[2]:",
 * "RE(3):"), together with the "[External]" banners mail gateways put in front.
 */

const REPLY_PREFIXES = ['re', 'aw', 'sv', 'antw', 'antwort', 'ynt', 'vá', 'odp', 'atb', 'απ', 'σχετ', 'отв', 'відп', '回复', '回覆', '答复', '答覆', '返信', '답장', 'رد', 'תשובה', 'ref', 'res', 'r'];
const FORWARD_PREFIXES = ['fwd', 'fw', 'wg', 'tr', 'enc', 'rv', 'vs', 'vl', 'doorst', 'i', 'İlt', 'ilt', 'pd', 'προώθ', 'пересл', '转发', '轉寄', '转寄', '轉發', '転送', '전달', 'إعادة توجيه', 'توجيه', 'הועבר'];
const BANNERS = ['external', 'ext', 'extern', 'externe', 'externo', 'external email', 'external sender', '外部邮件', '外部郵件', '外部', 'spam', 'suspected spam'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: string[]) => words.map(escape).sort((a, b) => b.length - a.length).join('|');
// A prefix is a word, an optional counter, then an ASCII or full-width colon.
const PREFIX = new RegExp(`^\\s*(${alternatives([...REPLY_PREFIXES, ...FORWARD_PREFIXES])})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*`, 'iu');
const FORWARD = new RegExp(`^\\s*(${alternatives(FORWARD_PREFIXES)})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]`, 'iu');
const BANNER = new RegExp(`^\\s*[[【(]\\s*(${alternatives(BANNERS)})\\s*[\\]】)]\\s*[:：]?\\s*`, 'iu');

/** The subject without reply/forward prefixes and gateway banners, as a person would read it. */
export function stripSubjectPrefixes(subject: string): string {
  let rest = subject.normalize('NFKC');
  for (let i = 0; i < 20; i++) {
    const next = rest.replace(BANNER, '').replace(PREFIX, '');
    if (next === rest) break;
    rest = next;
  }
  return rest.replace(/\s+/g, ' ').trim();
}

/** The key subjects are compared on: stripped, lower case, whitespace collapsed. Empty when nothing is left. */
export function subjectKey(subject: string): string {
  return stripSubjectPrefixes(subject).toLowerCase();
}

/** True when the subject (after any banners) begins with a forward prefix: "Fwd:", "WG:", "转发：" … */
export function isForwardSubject(subject: string): boolean {
  let rest = subject.normalize('NFKC');
  for (let i = 0; i < 5 && BANNER.test(rest); i++) rest = rest.replace(BANNER, '');
  return FORWARD.test(rest);
}
