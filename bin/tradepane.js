#!/usr/bin/env node
// The `tradepane` command. Runs the built JavaScript in dist-cli/ (`npm run build`) while it is a
// build of the current sources; otherwise (right after `npm install`, or after editing a source)
// it runs the TypeScript through tsx, which is slower to start but needs no build step.
import { relaunchArgv } from './node-flags.js';
import { freshBuild } from './cli-build.js';

// `serve` and `worker` run with the store's V8 flags (bin/node-flags.js): the process replaces
// itself with one started with them (same pid, signals and stdio), before anything is loaded.
// (process.execve is Node ≥ 23.11, which package.json's engines asks for; on Unix only.)
const relaunch = relaunchArgv();
if (relaunch && typeof process.execve === 'function') process.execve(process.execPath, relaunch, process.env);

const built = freshBuild();
let cli;
if (built) cli = await import(built);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/main.ts');
}
await cli.main();
