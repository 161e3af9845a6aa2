import type { Command } from 'commander';
import type { SlotAnswer } from '../../core/clienttime/index.js';
import { CliError, cliConsole as console, withStore, actorFor } from '../shared.js';

export function register(program: Command): void {
  program
    .command('slot')
    .description("a client's time zone, local time, business hours and the next good moment to send")
    .requiredOption('--to <email>', "the client's e-mail address")
    .option('--country <cc>', 'ISO 3166 country code the rep knows, e.g. SA')
    .option('--tz <zone>', 'IANA time zone the rep knows, e.g. Asia/Riyadh')
    .option('--date-header <date>', 'Date: header of their latest mail, e.g. "Thu, 26 Nov 2026 10:15:00 +0300"')
    .option('--phone <number>', 'phone number from their signature, e.g. "+966 11 234 5678"')
    .option('--now <instant>', 'ISO-8601 instant to compute from (default: now)')
    .option('--start <HH:MM>', 'business hours start (default 09:00)')
    .option('--end <HH:MM>', 'business hours end (default 18:00)')
    .option('--rep-tz <zone>', 'your own IANA time zone, to show alternatives in both zones')
    .option('-t, --tenant <tenant>', "also use what this tenant's store knows about the client")
    .option('--json', 'print one JSON object')
    .action(async (opts: { to: string; country?: string; tz?: string; dateHeader?: string; phone?: string; now?: string; start?: string; end?: string; repTz?: string; tenant?: string; json?: boolean }) => {
      const { ClientTimeError, slotFor } = await import('../../core/clienttime/index.js');
      const { formatLocalIso, normalizeTimeZone } = await import('../../core/clienttime/zones.js');
      let now = new Date();
      if (opts.now !== undefined) {
        now = new Date(opts.now);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.now) || Number.isNaN(now.getTime())) throw new CliError(`--now: "${opts.now}" is not an ISO-8601 instant such as 2026-11-27T07:00:00Z`);
      }
      if ((opts.start === undefined) !== (opts.end === undefined)) throw new CliError('--start and --end go together');
      // the readable lines give every time in both clocks: the rep's is --rep-tz, else this machine's
      let repZone: string;
      try {
        repZone = opts.repTz ? normalizeTimeZone(opts.repTz, '--rep-tz') : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
      } catch (error) {
        if (error instanceof ClientTimeError) throw new CliError(error.message);
        throw error;
      }
      let answer: SlotAnswer;
      try {
        if (opts.tenant) {
          const { clientTimeFor } = await import('../../server/services/client-time.js');
          answer = await withStore(async (store) => {
            const { tdb } = await actorFor(store, opts.tenant!);
            return clientTimeFor(tdb, null, {
              email: opts.to,
              now,
              country: opts.country,
              timeZone: opts.tz,
              dateHeader: opts.dateHeader,
              phone: opts.phone,
              ...(opts.start && opts.end ? { defaults: { start: opts.start, end: opts.end } } : {}),
              repTimeZone: opts.repTz,
            });
          });
        } else {
          answer = slotFor({
            email: opts.to,
            now,
            storedTimeZone: opts.tz ?? null,
            ...(opts.tz ? { storedBy: 'contact' as const } : {}),
            country: opts.country ?? null,
            dateHeader: opts.dateHeader ?? null,
            phone: opts.phone ?? null,
            ...(opts.start && opts.end ? { defaults: { start: opts.start, end: opts.end } } : {}),
            ...(opts.repTz ? { repTimeZone: opts.repTz } : {}),
          });
        }
      } catch (error) {
        if (error instanceof ClientTimeError) throw new CliError(error.message);
        throw error;
      }
      if (opts.json) {
        // the documented fields first, unchanged; the codes the faces word (and the status) after them
        const { timeZone, confidence, reasons, localTime, inBusinessHours, nextSlot, alternatives, status, statusText, reasonTexts } = answer;
        console.log(JSON.stringify({ timeZone, confidence, reasons, localTime, inBusinessHours, nextSlot, alternatives, status, statusText, reasonTexts, notices: answer.notices }));
        return;
      }
      if (!answer.timeZone) {
        console.log(`${opts.to}: time zone unknown — ${answer.reasons.join('; ')}`);
        return;
      }
      const clientZone = answer.timeZone;
      const both = (iso: string) => `${formatLocalIso(clientZone, Date.parse(iso))} theirs, ${formatLocalIso(repZone, Date.parse(iso))} yours (${repZone})`;
      console.log(`${opts.to}: ${answer.timeZone} (${answer.confidence}), local time ${answer.localTime}, ${answer.status}`);
      if (answer.inBusinessHours) console.log('  open now: send now, or at their next opening');
      if (answer.nextSlot) console.log(`  next opening: ${both(answer.nextSlot)}`);
      for (const reason of answer.reasons) console.log(`  because ${reason}`);
      for (const alt of answer.alternatives) if (alt.at !== answer.nextSlot) console.log(`  or ${alt.label}: ${both(alt.at)}`);
    });
}
