/**
 * The `tradepane` command: one file per command under `commands/`, sharing the store helpers and
 * error reporting in `shared.ts`. `bin/tradepane.js` calls `main()`; tests call `runCli()`.
 */
import { CommanderError } from 'commander';
import { createProgram, report, withRun, type CliIo } from './shared.js';
import { register as db } from './commands/db.js';
import { register as gmail } from './commands/gmail.js';
import { register as group } from './commands/group.js';
import { register as pack } from './commands/pack.js';
import { register as render } from './commands/render.js';
import { register as serve } from './commands/serve.js';
import { register as slot } from './commands/slot.js';
import { register as tenant } from './commands/tenant.js';
import { register as token } from './commands/token.js';
import { register as user } from './commands/user.js';
import { register as worker } from './commands/worker.js';
import { register as mailbox } from './commands/mailbox.js';
import { register as company } from './commands/company.js';
import { register as document } from './commands/document.js';

/**
 * Runs one `tradepane` command line (`argv` without node and the script) on a fresh command tree
 * and answers its exit code. Output goes to `io.stdout`/`io.stderr` (default: the process's),
 * configuration comes from `io.env` (default: process.env).
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const streams = { stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr };
  const program = createProgram(streams);
  // Registration order is the order `--help` lists the commands in.
  for (const register of [serve, db, tenant, group, user, token, pack, render, slot, worker, gmail, mailbox, company, document]) register(program);
  return withRun(program, { env: io.env ?? process.env, ...streams }, async () => {
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return undefined;
    } catch (error) {
      // commander has already printed its own message (usage errors) or the help it was asked for.
      if (error instanceof CommanderError) return error.exitCode;
      return report(error);
    }
  });
}

/** The command as the process runs it: arguments from the command line, exit code to the process. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}
