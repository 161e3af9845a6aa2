/**
 * The `tradepane` command: one file per command under `commands/`, sharing the store helpers and
 * error reporting in `shared.ts`.
 */
import { program, report } from './shared.js';
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

// Registration order is the order `--help` lists the commands in.
for (const register of [serve, db, tenant, group, user, token, pack, render, slot, worker, gmail]) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = report(error);
});
