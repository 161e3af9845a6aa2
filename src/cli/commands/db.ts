import type { Command } from 'commander';
import { cliConsole as console, config, step } from '../shared.js';

export function register(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('bring the database schema up to date (the server also does this at start-up)')
    .action(async () => {
      const { migrate, openStore } = await import('../../server/db/connect.js');
      const c = config();
      const store = openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
      try {
        step(`migrating ${store.where}`);
        const { applied } = await migrate(store, (name, status) => step(`  ${name}: ${status === 'Success' ? 'applied' : status.toLowerCase()}`));
        console.log(applied.length ? `applied ${applied.length} migration(s)` : 'already up to date');
      } finally {
        await store.close();
      }
    });
}
