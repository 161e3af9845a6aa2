import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buildCli, freshBuild } from '../../bin/cli-build.js';
import { relaunchArgv, SERVER_NODE_FLAGS } from '../../bin/node-flags.js';
import { ROOT } from '../support/cli.js';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));

/** A tree with two sources built on 2 January: dist-cli/ with its stamp and entry. */
function builtTree() {
  const root = mkdtempSync(join(tmpdir(), 'tp-launcher-'));
  mkdirSync(join(root, 'src/cli'), { recursive: true });
  mkdirSync(join(root, 'dist-cli/cli'), { recursive: true });
  for (const file of ['src/cli/main.ts', 'src/cli/shared.ts']) {
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), day(1), day(1));
  }
  writeFileSync(join(root, 'dist-cli/cli/main.js'), '');
  writeFileSync(join(root, 'dist-cli/.built.json'), JSON.stringify({ builtAt: day(2).getTime(), entry: 'cli/main.js', sources: ['src/cli/main.ts', 'src/cli/shared.ts'] }));
  return root;
}

/**
 * A copy of the launcher (bin/) beside the repository's sources, with node_modules linked package
 * by package, leaving out `without` (to prove a path does not need it).
 */
function launcherCopy(without?: string) {
  const root = mkdtempSync(join(tmpdir(), 'tp-launcher-bin-'));
  mkdirSync(join(root, 'bin'));
  for (const file of ['tradepane.js', 'cli-build.js', 'node-flags.js']) copyFileSync(join(ROOT, 'bin', file), join(root, 'bin', file));
  symlinkSync(join(ROOT, 'src'), join(root, 'src'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) if (name !== without) symlinkSync(join(ROOT, 'node_modules', name), join(root, 'node_modules', name));
  return root;
}

const help = (root: string) => spawnSync(process.execPath, [join(root, 'bin/tradepane.js'), '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('the launcher decides when the built CLI is current', () => {
  it('uses the build while no source changed since it', () => {
    const root = builtTree();
    expect(freshBuild(root)).toBe(pathToFileURL(join(root, 'dist-cli/cli/main.js')).href);
  });

  it('falls back to the sources when one was saved after the build, or is gone', () => {
    const edited = builtTree();
    utimesSync(join(edited, 'src/cli/shared.ts'), day(3), day(3));
    expect(freshBuild(edited)).toBeNull();
    const removed = builtTree();
    rmSync(join(removed, 'src/cli/shared.ts'));
    expect(freshBuild(removed)).toBeNull();
  });

  it('falls back when there is no build, no entry, or a stamp it cannot read', () => {
    const none = builtTree();
    rmSync(join(none, 'dist-cli'), { recursive: true });
    expect(freshBuild(none)).toBeNull();
    const noEntry = builtTree();
    rmSync(join(noEntry, 'dist-cli/cli/main.js'));
    expect(freshBuild(noEntry)).toBeNull();
    const garbled = builtTree();
    writeFileSync(join(garbled, 'dist-cli/.built.json'), '{"builtAt": "yesterday"');
    expect(freshBuild(garbled)).toBeNull();
  });
});

describe('bin/tradepane.js', () => {
  it('runs the built JavaScript once built, without tsx', async () => {
    const root = launcherCopy('tsx');
    // Before the build it needs tsx, which this copy lacks: proof of which path each run took.
    expect(help(root).status).not.toBe(0);
    const { sources } = await buildCli(root);
    expect(sources).toBeGreaterThan(10);
    const r = help(root);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^\s+slot\b/m);
  });

  it('runs the TypeScript through tsx when there is no build', () => {
    const r = help(launcherCopy());
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^\s+slot\b/m);
  });
});

describe('the V8 flags of the long-running commands (bin/node-flags.js)', () => {
  /** A launcher copy whose "built CLI" only prints the flags and the pid it runs with. */
  function reporting() {
    const root = launcherCopy();
    mkdirSync(join(root, 'dist-cli/cli'), { recursive: true });
    writeFileSync(join(root, 'dist-cli/cli/main.js'), 'export async function main() { console.log(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2) })); }\n');
    writeFileSync(join(root, 'dist-cli/.built.json'), JSON.stringify({ builtAt: Date.now(), entry: 'cli/main.js', sources: [] }));
    return (args: string[], nodeOptions = '') => {
      const r = spawnSync(process.execPath, [join(root, 'bin/tradepane.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: nodeOptions } });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      return JSON.parse(r.stdout) as { execArgv: string[]; argv: string[] };
    };
  }

  it('starts serve and worker with them (the arguments unchanged), other commands without', () => {
    const run = reporting();
    expect(run(['serve', '--port', '0'])).toEqual({ execArgv: [...SERVER_NODE_FLAGS], argv: ['serve', '--port', '0'] });
    expect(run(['worker', '--quiet'])).toEqual({ execArgv: [...SERVER_NODE_FLAGS], argv: ['worker', '--quiet'] });
    expect(run(['mailbox', 'list'])).toEqual({ execArgv: [], argv: ['mailbox', 'list'] });
    expect(run(['--help'])).toEqual({ execArgv: [], argv: ['--help'] });
  });

  it('leaves an operator\'s own setting of the same flag alone, on the command line or in NODE_OPTIONS', () => {
    expect(relaunchArgv(['node', 'tradepane.js', 'serve'], ['--max_semi_space_size=32'], '')).toEqual(['node', '--heap-growing-percent=15', '--max_semi_space_size=32', 'tradepane.js', 'serve']);
    expect(relaunchArgv(['node', 'tradepane.js', 'serve'], [], '--max-semi-space-size=32 --heap-growing-percent=100')).toBeNull();
    const run = reporting();
    expect(run(['serve'], '--max-semi-space-size=32').execArgv).toEqual(['--heap-growing-percent=15']);
  });
});

