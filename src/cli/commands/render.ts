import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError, cliConsole as console, collect, readSource, setExitCode } from '../shared.js';

type Data = { contact?: Record<string, string>; customer?: Record<string, string>; rep?: Record<string, string>; company?: Record<string, string>; fields?: Record<string, unknown> };

interface RenderOptions {
  pack: string;
  template: string;
  lang?: string;
  data?: string;
  to?: string;
  inbound?: string;
  field: string[];
  inputLocale?: string;
  format: 'html' | 'text' | 'json';
  now?: string;
}

export function register(program: Command): void {
  program
    .command('render')
    .description('render a template of a pack file as reps will get it: the language chosen as the add-ins choose it, typed field text read as they read it; missing values exit 2')
    .requiredOption('--pack <file>', 'pack file (YAML or JSON)')
    .requiredOption('--template <id>', 'template id')
    .option('--to <email>', "the recipient (their domain's country is a language hint; default: the sender of --inbound)")
    .option('--inbound <file.eml>', "the buyer's last message (RFC 822): the language they wrote in")
    .option('--field <name=text>', 'a field as a rep types it, e.g. price="12,50 EUR" (repeatable; line items: one row per line, cells separated by |)', collect, [])
    .option('--input-locale <locale>', 'the locale the field text is typed in (e.g. en-US, de, zh-CN); without it, "1,234" and "03/04/2026" are refused as ambiguous')
    .option('--lang <language>', 'the rep picks this variant (default: chosen from the data, as in the add-ins)')
    .option('--data <file>', 'JSON with contact, customer, rep, company and fields (typed values)')
    .addOption(new Option('--format <format>', 'what to print').choices(['html', 'text', 'json']).default('html'))
    .option('--now <instant>', 'ISO-8601 instant that "today" and date defaults count from')
    .action(async (opts: RenderOptions) => {
      // Loaded here, not for every command: the template engine, the sanitiser and the store's packs.
      const { formatIssue, parsePackSource } = await import('../../core/pack/source.js');
      const { localized, matchLanguage, renderTemplate } = await import('../../core/template/index.js');
      const { sanitizeRenderedHtml } = await import('../../core/sanitize/index.js');
      const { chooseLanguage, describeLanguageChoice, parseFieldInput, parseRowsInput, renderInputs } = await import('../../core/compose/index.js');
      const { sanitizedPack } = await import('../../server/services/packs.js');
      const parsed = parsePackSource(readSource(opts.pack), opts.pack);
      if (!parsed.ok) {
        for (const issue of parsed.issues) console.error(formatIssue(issue, opts.pack));
        throw new CliError(`${opts.pack}: the pack has errors; run \`tradepane pack validate ${opts.pack}\``);
      }
      const { pack } = sanitizedPack(parsed.pack);
      const template = pack.templates?.find((t) => t.id === opts.template);
      if (!template) throw new CliError(`--template: no template "${opts.template}" in ${opts.pack} (has: ${(pack.templates ?? []).map((t) => t.id).join(', ') || 'none'})`);
      const data = readData(opts.data);
      let now: Date | undefined;
      if (opts.now) {
        now = new Date(opts.now);
        if (Number.isNaN(now.getTime())) throw new CliError(`--now: "${opts.now}" is not an ISO-8601 instant`);
      }
      const variants = Object.keys(template.variants);
      if (opts.lang && !matchLanguage(opts.lang, variants)) throw new CliError(`--lang: template "${template.id}" has no ${opts.lang} variant (has: ${variants.join(', ')})`);

      // The buyer's message: their language, and who a reply goes to.
      let inboundText: string | undefined;
      let inboundFrom: string | undefined;
      if (opts.inbound) {
        let raw: Buffer;
        try {
          raw = readFileSync(opts.inbound);
        } catch {
          throw new CliError(`--inbound ${opts.inbound}: cannot read the file`);
        }
        // Loaded only when needed: the parser and the language tables slow every other render's start.
        const { simpleParser } = await import('mailparser');
        const mail = await simpleParser(raw);
        inboundText = mail.text ?? undefined;
        inboundFrom = mail.from?.value[0]?.address ?? undefined;
      }
      const to = opts.to ?? inboundFrom ?? data.contact?.email;

      // Typed text, read exactly as the faces read it.
      const fields: Record<string, unknown> = { ...(data.fields ?? {}) };
      const understood: Record<string, string> = {};
      const problems: string[] = [];
      for (const spec of opts.field) {
        const at = spec.indexOf('=');
        if (at < 1) throw new CliError(`--field ${spec}: write it as NAME=TEXT`);
        const name = spec.slice(0, at);
        const text = spec.slice(at + 1);
        const field = template.fields?.find((f) => f.name === name);
        if (!field) throw new CliError(`--field ${name}: template "${template.id}" has no such field (has: ${(template.fields ?? []).map((f) => f.name).join(', ') || 'none'})`);
        const label = localized(field.label, 'en') ?? field.name;
        if (field.type === 'lines') {
          const rows = parseRowsInput(field, text, opts.inputLocale, { field: label, column: (c) => localized(field.columns?.find((col) => col.name === c)?.label, 'en') ?? c });
          if (rows.ok) fields[name] = rows.value;
          else problems.push(...rows.errors.map((e) => e.message));
          continue;
        }
        const read = parseFieldInput(field, text, opts.inputLocale, label);
        if (read.ok) {
          fields[name] = read.value;
          understood[name] = read.understood;
        } else problems.push(read.error.message);
      }
      if (problems.length) throw new CliError(`--field: ${problems.join('; ')}`);

      const choice = chooseLanguage(variants, {
        repPick: opts.lang,
        buyerWrote: inboundText ? await (await import('../../server/services/language-detect.js')).detectBuyerLanguage(inboundText) : undefined,
        contactLanguage: data.contact?.language,
        customerCountry: data.customer?.country,
        recipient: to,
        packDefault: pack.defaultLanguage,
      });
      const reason = describeLanguageChoice(choice.reason);
      const inputs = renderInputs({
        rep: data.rep ?? {},
        company: data.company ?? {},
        to,
        contact: data.contact,
        customer: data.customer ? { ...data.customer, name: data.customer.company } : undefined,
        fields,
      });
      const result = renderTemplate(template, choice.language, inputs, now ? { now } : {});
      const about = { language: choice.language, source: choice.source, reason, why: choice.reason, fields: understood };
      if (!result.ok) {
        if (opts.format === 'json') console.log(JSON.stringify({ ok: false, ...about, missing: result.missing }, null, 2));
        else {
          console.error(`cannot render ${template.id} (${choice.language}): missing values`);
          for (const m of result.missing) console.error(`  ${m.name}${m.label ? ` (${m.label})` : ''} in the ${m.where}: ${m.reason}`);
        }
        setExitCode(2);
        return;
      }
      const html = sanitizeRenderedHtml(result.html, 'template').html;
      if (opts.format === 'json') console.log(JSON.stringify({ ok: true, ...about, subject: result.subject, html, text: result.text }, null, 2));
      else if (opts.format === 'text') console.log(`Subject: ${result.subject}\n\n${result.text}`);
      else console.log(html);
    });
}

function readData(file: string | undefined): Data {
  if (!file) return {};
  let data: Data;
  try {
    data = JSON.parse(readSource(file)) as Data;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CliError(`${file}: must be a JSON object with contact, customer, rep, company and fields`);
  const unknown = Object.keys(data).filter((k) => !['contact', 'customer', 'rep', 'company', 'fields'].includes(k));
  if (unknown.length) throw new CliError(`${file}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: contact, customer, rep, company, fields`);
  return data;
}
