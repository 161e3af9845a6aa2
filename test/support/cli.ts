import { spawn, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

/**
 * Two ways to run `tradepane` in tests. `cliInProcess` runs the command in this process on a fresh
 * command tree (milliseconds; the way to test what a command does). `cliBinary` starts
 * bin/tradepane.js as a real process (about a second; for what only the binary shows: the exit
 * status the shell sees, the launcher, signals).
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/tradepane.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs one command line in-process with `env` over this process's environment and NODE_ENV=test. */
export async function cliInProcess(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const status = await runCli(args, { env: { ...process.env, NODE_ENV: 'test', ...env }, stdout: out.stream, stderr: err.stream });
  return { status, stdout: out.text(), stderr: err.text() };
}

/** Runs bin/tradepane.js and waits for it to exit (synchronously: nothing in this process must answer it). */
export function cliBinary(env: NodeJS.ProcessEnv, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts bin/tradepane.js without blocking this process. */
export function spawnCli(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', ...env } });
}
