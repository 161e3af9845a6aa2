/**
 * The buyer's own words in a mail they sent: the text above the quoted earlier messages. A reply
 * quotes the rep's mail (often in the rep's language), which must not decide the buyer's language.
 */

/** Lines that start the quoted part in the mail clients buyers use, in the languages reps meet. */
const QUOTE_START = [
  /^-{2,}\s*(original message|mensaje original|message d'origine|ursprüngliche nachricht|原始邮件|الرسالة الأصلية)/i,
  /^_{5,}/,
  /^on .{4,200} wrote:\s*$/i,
  /^am .{4,200} schrieb .{0,200}:\s*$/i,
  /^el .{4,200} escribió:\s*$/i,
  /^le .{4,200} a écrit\s*:\s*$/i,
  /^em .{4,200} escreveu:\s*$/i,
  /^在.{2,200}写道[:：]\s*$/,
  /^(from|de|von|发件人|寄件者|من)\s*[:：]\s*\S/i,
];

/** The text before the first quoted line ("> …", "On … wrote:", "-----Original Message-----"). */
export function ownText(body: string): string {
  const kept: string[] = [];
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('>') || QUOTE_START.some((re) => re.test(trimmed))) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
}
