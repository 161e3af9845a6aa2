#!/usr/bin/env node
// The `tradepane` command. Runs the TypeScript sources directly through tsx, so the command works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
