import { Option, type Command } from 'commander';
import { CliError, cliConsole as console, readSource, setExitCode } from '../shared.js';

export function register(program: Command): void {
  program
    .command('render')
    .description('render a template of a pack file with data, as reps will get it; missing values exit 2')
    .requiredOption('--pack <file>', 'pack file (YAML or JSON)')
    .requiredOption('--template <id>', 'template id')
    .option('--lang <language>', 'variant to render (default: chosen from the data, as in the add-ins)')
    .option('--data <file>', 'JSON with contact, customer, rep, company and fields')
    .addOption(new Option('--format <format>', 'what to print').choices(['html', 'text', 'json']).default('html'))
    .option('--now <instant>', 'ISO-8601 instant that "today" and date defaults count from')
    .action(async (opts: { pack: string; template: string; lang?: string; data?: string; format: 'html' | 'text' | 'json'; now?: string }) => {
      const { formatIssue, parsePackSource } = await import('../../core/pack/source.js');
      const { chooseVariant, matchLanguage, renderTemplate } = await import('../../core/template/index.js');
      const { sanitizeRenderedHtml } = await import('../../core/sanitize/index.js');
      const { sanitizedPack } = await import('../../server/services/packs.js');
      const parsed = parsePackSource(readSource(opts.pack), opts.pack);
      if (!parsed.ok) {
        for (const issue of parsed.issues) console.error(formatIssue(issue, opts.pack));
        throw new CliError(`${opts.pack}: the pack has errors; run \`tradepane pack validate ${opts.pack}\``);
      }
      const { pack } = sanitizedPack(parsed.pack);
      const template = pack.templates?.find((t) => t.id === opts.template);
      if (!template) throw new CliError(`--template: no template "${opts.template}" in ${opts.pack} (has: ${(pack.templates ?? []).map((t) => t.id).join(', ') || 'none'})`);
      let data: { contact?: Record<string, string>; customer?: Record<string, string>; rep?: Record<string, string>; company?: Record<string, string>; fields?: Record<string, unknown> } = {};
      if (opts.data) {
        try {
          data = JSON.parse(readSource(opts.data)) as typeof data;
        } catch (error) {
          if (error instanceof CliError) throw error;
          throw new CliError(`${opts.data}: not valid JSON (${(error as Error).message})`);
        }
        if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CliError(`${opts.data}: must be a JSON object with contact, customer, rep, company and fields`);
        const unknown = Object.keys(data).filter((k) => !['contact', 'customer', 'rep', 'company', 'fields'].includes(k));
        if (unknown.length) throw new CliError(`${opts.data}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: contact, customer, rep, company, fields`);
      }
      let now: Date | undefined;
      if (opts.now) {
        now = new Date(opts.now);
        if (Number.isNaN(now.getTime())) throw new CliError(`--now: "${opts.now}" is not an ISO-8601 instant`);
      }
      let language: string;
      let reason: string;
      if (opts.lang) {
        const picked = matchLanguage(opts.lang, Object.keys(template.variants));
        if (!picked) throw new CliError(`--lang: template "${template.id}" has no ${opts.lang} variant (has: ${Object.keys(template.variants).join(', ')})`);
        language = picked;
        reason = `--lang ${opts.lang}`;
      } else {
        ({ language, reason } = chooseVariant(template, { contactLanguage: data.contact?.language, customerCountry: data.customer?.country, packDefault: pack.defaultLanguage }));
      }
      const result = renderTemplate(template, language, data, now ? { now } : {});
      if (!result.ok) {
        if (opts.format === 'json') console.log(JSON.stringify({ ok: false, language, missing: result.missing }, null, 2));
        else {
          console.error(`cannot render ${template.id} (${language}): missing values`);
          for (const m of result.missing) console.error(`  ${m.name}${m.label ? ` (${m.label})` : ''} in the ${m.where}: ${m.reason}`);
        }
        setExitCode(2);
        return;
      }
      const html = sanitizeRenderedHtml(result.html, 'template').html;
      if (opts.format === 'json') console.log(JSON.stringify({ ok: true, language, reason, subject: result.subject, html, text: result.text }, null, 2));
      else if (opts.format === 'text') console.log(`Subject: ${result.subject}\n\n${result.text}`);
      else console.log(html);
    });
}
