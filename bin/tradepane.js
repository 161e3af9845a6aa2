#!/usr/bin/env node
// The `tradepane` command. Runs the built JavaScript in dist-cli/ (`npm run build`) while it is a
// build of the current sources; otherwise (right after `npm install`, or after editing a source)
// it runs the TypeScript through tsx, which is slower to start but needs no build step.
import { freshBuild } from './cli-build.js';

const built = freshBuild();
let cli;
if (built) cli = await import(built);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/main.ts');
}
await cli.main();
