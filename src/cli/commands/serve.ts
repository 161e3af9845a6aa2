import type { Command } from 'commander';
import type { Config } from '../../server/config.js';
import { CliError, config, env } from '../shared.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the template store (HTTP API, docs, add-in files)')
    .option('-p, --port <port>', 'port (default: $PORT or 3000)', (v) => Number(v))
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .option('--dev', 'dev mode: self-signed dev tokens and a demo tenant (refused with NODE_ENV=production)')
    .action(async (opts: { port?: number; host?: string; dev?: boolean }) => {
      if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw new CliError(`--port: expected 0–65535, got ${opts.port}`);
      const overrides: Partial<Config> = {};
      if (opts.dev) overrides.devMode = true;
      if (opts.port !== undefined) overrides.port = opts.port;
      if (opts.host) overrides.host = opts.host;
      const c = config(overrides);
      if (opts.port !== undefined && !env().PUBLIC_URL) c.publicUrl = `http://localhost:${opts.port}`;
      const { serve } = await import('../../server/serve.js');
      await serve(c);
    });
}
