import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { CliError, cliConsole as console, readSource, withStore } from '../shared.js';

interface DocumentOptions {
  pack: string;
  template: string;
  kind: 'proforma' | 'quotation';
  lang?: string;
  data?: string;
  profile?: string;
  number: string;
  date?: string;
  out: string;
  tenant?: string;
  as?: string;
  to?: string;
}

type Data = { fields?: Record<string, unknown>; buyer?: { company?: string; contact?: string; address?: string; email?: string } };

function readJson<T>(file: string | undefined, what: string): T | undefined {
  if (!file) return undefined;
  try {
    return JSON.parse(readSource(file)) as T;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what} ${file}: not JSON (${(error as Error).message})`);
  }
}

export function register(program: Command): void {
  const document = program.command('document').description('quotations and proforma invoices as PDFs (docs/documents.md)');
  document
    .command('render')
    .description(
      'draw a quotation or PI as a PDF from a template’s fields. With --tenant and --as: issued by the store (numbered, stored, the company profile’s accounts); without: a draft from a pack file, bank details only from --profile',
    )
    .requiredOption('--pack <file|slug>', 'pack file (YAML or JSON); with --tenant, the published pack’s slug')
    .requiredOption('--template <id>', 'template id (one with item lines)')
    .addOption(new Option('--kind <kind>', 'what to make').choices(['proforma', 'quotation']).default('proforma'))
    .option('--lang <language>', 'the buyer’s language: en, es, zh, ar, de, fr (default: the pack’s)')
    .option('--data <file>', 'JSON with fields (typed values, as POST /me/documents takes) and buyer {company, contact, address, email}')
    .option('--profile <file>', 'draft only: the company profile JSON (as GET /api/v1/admin/company-profile answers) whose accounts are printed')
    .option('--number <number>', 'draft only: the number printed', 'DRAFT')
    .option('--date <YYYY-MM-DD>', 'draft only: the issue date (default: today, UTC)')
    .option('--tenant <slug>', 'issue it in the store of this tenant')
    .option('--as <email>', 'with --tenant: the rep issuing it')
    .option('--to <email>', 'with --tenant: the recipient, whose records fill the buyer block')
    .requiredOption('--out <file.pdf>', 'where to write the PDF')
    .action(async (opts: DocumentOptions) => {
      const data = readJson<Data>(opts.data, '--data') ?? {};
      if (opts.tenant) {
        if (!opts.as) throw new CliError('--as: which rep issues the document (the store numbers it and records who)');
        const { number, pdf } = await withStore(async (store) => {
          const [{ findTenant }, { findUserByEmail }, { TenantDb }, { createDocument }] = await Promise.all([
            import('../../server/services/tenants.js'),
            import('../../server/services/people.js'),
            import('../../server/db/tenant-db.js'),
            import('../../server/services/documents.js'),
          ]);
          const tenant = await findTenant(store.db, opts.tenant!);
          const tdb = new TenantDb(store.db, tenant.id);
          const user = await findUserByEmail(tdb, opts.as!);
          if (!user) throw new CliError(`--as ${opts.as}: no such user in tenant "${opts.tenant}"`);
          const made = await createDocument(tdb, user.id, {
            kind: opts.kind,
            pack: opts.pack,
            template: opts.template,
            ...(opts.lang ? { language: opts.lang } : {}),
            ...(opts.to ? { to: opts.to } : {}),
            ...(data.buyer ? { buyer: data.buyer } : {}),
            fields: data.fields ?? {},
          });
          return { number: made.document.number, pdf: made.pdf };
        });
        writeFileSync(opts.out, pdf);
        console.log(`${number} → ${opts.out} (${pdf.byteLength} bytes)`);
        return;
      }

      // A draft from files: nothing is numbered or stored.
      const { formatIssue, parsePackSource } = await import('../../core/pack/source.js');
      const { applyFieldDefaults, checkFieldValues } = await import('../../core/template/index.js');
      const { documentInputFromTemplate, documentLanguageOf, itemColumnsOf, DOCUMENT_LANGUAGES } = await import('../../core/documents/index.js');
      const { runDocumentTask } = await import('../../server/documents/task.js');
      const parsed = parsePackSource(readSource(opts.pack), opts.pack);
      if (!parsed.ok) {
        for (const issue of parsed.issues) console.error(formatIssue(issue, opts.pack));
        throw new CliError(`${opts.pack}: the pack has errors; run \`tradepane pack validate ${opts.pack}\``);
      }
      const template = parsed.pack.templates?.find((t) => t.id === opts.template);
      if (!template) throw new CliError(`--template: no template "${opts.template}" in ${opts.pack}`);
      const columns = itemColumnsOf(template);
      if (!columns) throw new CliError(`--template ${opts.template}: has no item lines (a lines field with a text, a number and a money column)`);
      const language = documentLanguageOf(opts.lang ?? parsed.pack.defaultLanguage);
      if (!language) throw new CliError(`--lang: documents are written in ${DOCUMENT_LANGUAGES.join(', ')}`);
      const issueDate = opts.date ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(issueDate)) throw new CliError(`--date: "${issueDate}" is not YYYY-MM-DD`);
      const now = new Date(`${issueDate}T12:00:00Z`);
      const { values, errors } = checkFieldValues(template, applyFieldDefaults(template, data.fields ?? {}, { now }));
      if (errors.length > 0) throw new CliError(errors.map((e) => `--data fields.${e.field}: ${e.message}`).join('\n'));
      const profile = readJson<{ legalName?: string; bankAccounts?: [] }>(opts.profile, '--profile');
      const input = documentInputFromTemplate({
        kind: opts.kind,
        language,
        number: opts.number,
        issueDate,
        columns,
        values,
        company: parsed.pack.company,
        profile: { ...(profile ?? {}), bankAccounts: profile?.bankAccounts ?? [] },
        buyer: data.buyer ?? {},
      });
      const result = await runDocumentTask({ input, title: opts.number, createdAt: now.toISOString() });
      if (!result.ok) throw new CliError(result.details.length ? result.details.map((d) => `${d.path}: ${d.message}`).join('\n') : result.message);
      writeFileSync(opts.out, result.pdf);
      console.log(`${opts.number} (draft) → ${opts.out} (${result.pdf.byteLength} bytes)`);
    });
}
