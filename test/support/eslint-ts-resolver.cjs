/**
 * An import resolver for eslint-plugin-boundaries (interface version 2 of eslint-module-utils):
 * the sources import `./x.js` where the file is `x.ts`/`x.tsx` (TypeScript's NodeNext rule),
 * which the plain Node resolver cannot find. Relative imports are mapped to the TypeScript file;
 * packages are left to eslint-import-resolver-node.
 */
const { existsSync, statSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const node = require('eslint-import-resolver-node');

const isFile = (p) => existsSync(p) && statSync(p).isFile();

exports.interfaceVersion = 2;
exports.resolve = (source, file, config) => {
  if (source.startsWith('.') || source.startsWith('/')) {
    const base = resolve(dirname(file), source);
    const stem = base.replace(/\.(c|m)?js$/, '');
    for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
      if (isFile(candidate)) return { found: true, path: candidate };
    }
    return { found: false };
  }
  return node.resolve(source, file, config ?? {});
};
