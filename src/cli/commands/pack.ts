import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { ExportFormat, PackSummary } from '../../server/services/packs.js';
import { CliError, cliConsole as console, withStore, actorFor, readSource, collect, setExitCode, step, stdout } from '../shared.js';

export function register(program: Command): void {
  const pack = program.command('pack').description('packs of templates, signatures and policies');
  pack
    .command('validate <file>')
    .description('check a pack file; errors name the line, the field and what is wrong')
    .option('--json', 'print the issues as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { formatIssue, parsePackSource } = await import('../../core/pack/source.js');
      const parsed = parsePackSource(readSource(file), file);
      if (opts.json) console.log(JSON.stringify({ file, ok: parsed.ok, issues: parsed.issues }, null, 2));
      else {
        for (const issue of parsed.issues) console.log(formatIssue(issue, file));
        const errors = parsed.issues.filter((i) => i.severity === 'error').length;
        const warnings = parsed.issues.length - errors;
        console.log(parsed.ok ? `${file}: valid${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}` : `${file}: ${errors} error${errors > 1 ? 's' : ''}`);
      }
      if (!parsed.ok) setExitCode(1);
    });
  pack
    .command('push <file>')
    .description('validate and store a pack as a new version, published to the groups it names')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--as <email>', 'the admin recorded as pushing it (default: cli operator)')
    .option('--no-publish', 'only store the new version; publish it later with `pack publish`')
    .action(async (file: string, opts: { tenant: string; as?: string; publish: boolean }) => {
      const { formatIssue, parsePackSource } = await import('../../core/pack/source.js');
      const { pushPack } = await import('../../server/services/packs.js');
      const source = readSource(file);
      step(`validating ${file}`);
      const parsed = parsePackSource(source, file);
      for (const issue of parsed.issues) step(formatIssue(issue, file));
      if (!parsed.ok) throw new CliError(`${file}: not pushed; fix the errors above`);
      await withStore(async (store) => {
        step(`storing in ${store.where}`);
        const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
        const result = await pushPack(tdb, actor, source, file, { publish: opts.publish });
        const where = opts.publish ? `published to ${result.publishedTo.join(', ')}` : 'not published';
        console.log(result.status === 'created' ? `pushed ${result.pack} version ${result.version}, ${where}` : `${result.pack} is unchanged (version ${result.version}), ${where}`);
      });
    });
  const describePublications = (summary: PackSummary) =>
    summary.publications.map((p) => `${p.audience}: version ${p.version}`).join(', ') || 'published to nobody';

  pack
    .command('publish <pack>')
    .description('publish a stored version to groups (default: the groups it names); other groups keep theirs')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .requiredOption('--version <n>', 'version to publish', (v) => Number(v))
    .option('-g, --group <group>', 'group to publish to, or "*" for everyone (repeatable)', collect)
    .option('--as <email>', 'the admin recorded as publishing it')
    .action(async (slug: string, opts: { tenant: string; version: number; group?: string[]; as?: string }) => {
      const { publishPack } = await import('../../server/services/packs.js');
      if (!Number.isInteger(opts.version) || opts.version < 1) throw new CliError('--version: expected a version number ≥ 1');
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
        const summary = await publishPack(tdb, actor, slug, { version: opts.version, ...(opts.group ? { groups: opts.group } : {}) });
        console.log(`${slug}: ${describePublications(summary)}`);
      });
    });

  pack
    .command('rollback <pack>')
    .description('give every group that receives the pack an earlier version')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .requiredOption('--version <n>', 'version to go back to', (v) => Number(v))
    .option('--as <email>', 'the admin recorded as rolling back')
    .action(async (slug: string, opts: { tenant: string; version: number; as?: string }) => {
      const { rollbackPack } = await import('../../server/services/packs.js');
      if (!Number.isInteger(opts.version) || opts.version < 1) throw new CliError('--version: expected a version number ≥ 1');
      await withStore(async (store) => {
        const { tdb, actor } = await actorFor(store, opts.tenant, opts.as);
        const summary = await rollbackPack(tdb, actor, slug, { version: opts.version });
        console.log(`${slug}: ${describePublications(summary)}`);
      });
    });

  pack
    .command('export <pack>')
    .description('print (or write) a version of a pack')
    .requiredOption('-t, --tenant <tenant>', 'tenant slug')
    .option('--version <n>', 'version (default: latest)', (v) => Number(v))
    .addOption(new Option('--format <format>', 'the original source, or YAML/JSON of the stored document').choices(['source', 'yaml', 'json']).default('source'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (slug: string, opts: { tenant: string; version?: number; format: ExportFormat; out?: string }) => {
      const { exportPack } = await import('../../server/services/packs.js');
      if (opts.version !== undefined && (!Number.isInteger(opts.version) || opts.version < 1)) throw new CliError(`--version: expected a version number ≥ 1`);
      await withStore(async (store) => {
        const { tdb } = await actorFor(store, opts.tenant);
        const out = await exportPack(tdb, slug, { format: opts.format, ...(opts.version !== undefined ? { version: opts.version } : {}) });
        if (opts.out) {
          writeFileSync(opts.out, out.text);
          step(`wrote ${slug} version ${out.version} to ${opts.out}`);
        } else stdout().write(out.text);
      });
    });
}
