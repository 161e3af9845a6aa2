import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * `npm run lint`: the layer rules of docs/architecture.md, enforced. Small on purpose (it runs in
 * `npm test`): TypeScript's own checks are tsc's job; this checks what tsc cannot see — who may
 * import whom, and where the host APIs, SDKs and environment may be touched.
 *
 *   core      imports nothing above it (and no Node built-ins; tsconfig.core.json adds: no DOM)
 *   contract  → core
 *   client    → core, contract                    (the faces' typed HTTP client)
 *             (client and the browser faces take the contract's types only: `import type`)
 *   server    → core, contract                    (app.ts also registers the Gmail face)
 *   faces     outlook, gmail, admin, cli, inbox   → core, contract (+ client, + server where
 *             they run in the store's process: gmail, cli); never another face
 */

const FACES = ['outlook', 'gmail', 'admin', 'cli', 'inbox'];
const LAYERS = ['core', 'contract', 'client', 'server', ...FACES];

const is = (type) => ({ element: { type } });
const anyOf = (...types) => ({ element: { types: { anyOf: types } } });
const external = (source) => ({ module: { origin: 'external', source } });

export default tseslint.config(
  { ignores: ['dist/**', '.test-dist/**', 'node_modules/**', 'bench/empty-page/dist/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { boundaries, '@typescript-eslint': tseslint.plugin },
    // Off: a few files keep directives for rules of a fuller set this lint does not run (no-control-regex).
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    settings: {
      'boundaries/elements': LAYERS.map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
      'boundaries/files': [{ category: 'office-adapter', pattern: 'src/outlook/office/**' }],
      'import/resolver': { [new URL('./test/support/eslint-ts-resolver.cjs', import.meta.url).pathname]: {} },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          // Packages and Node built-ins too, not only our own files.
          checkAllOrigins: true,
          policies: [
            // Layers: who may import whom among our own folders.
            { from: is('core'), disallow: { to: anyOf(...LAYERS.filter((t) => t !== 'core')) } },
            { from: is('contract'), disallow: { to: anyOf(...LAYERS.filter((t) => t !== 'core' && t !== 'contract')) } },
            { from: is('client'), disallow: { to: anyOf(...LAYERS.filter((t) => !['core', 'contract', 'client'].includes(t))) } },
            ...FACES.map((face) => ({ from: is(face), disallow: { to: anyOf(...FACES.filter((f) => f !== face)) } })),
            // The one exception, on purpose: the operator's CLI writes the Gmail add-on's deployment
            // descriptor (how Google finds that face, as manifest/ is Outlook's) from the face's own list.
            { from: { file: { path: 'src/cli/commands/gmail.ts' } }, allow: { to: { file: { path: 'src/gmail/deployment.ts' } } } },
            { from: anyOf('outlook', 'admin', 'inbox'), disallow: { to: is('server') } },
            { from: is('server'), disallow: { to: anyOf('outlook', 'admin', 'cli', 'inbox', 'client') } },
            // The store registers the Gmail face (its endpoints run in the store's process); nothing else in server/ knows it.
            { from: { element: { type: 'server' }, file: { path: '!src/server/app.ts' } }, disallow: { to: is('gmail') } },
            // Pure layers and the browser faces touch no Node built-ins.
            { from: anyOf('core', 'contract', 'client', 'outlook', 'admin', 'inbox'), disallow: { to: { module: { origin: 'core' } } } },
            // One adapter per external API (a later policy wins over an earlier one).
            { disallow: { to: external('@microsoft/office-js') } },
            { from: { file: { path: 'src/outlook/office/**' } }, allow: { to: external('@microsoft/office-js') } },
            // googleapis' code only in the Google adapter; its types (the Gmail cards' Card v1 model) may be named elsewhere.
            { disallow: { to: external('googleapis'), dependency: { kind: 'value' } } },
            { disallow: { to: external('google-auth-library') } },
            // The Google Tasks connector is the connector for googleapis' Tasks API (its credentials and token
            // routing come from server/google/credentials.ts), as hubspot.ts is for @hubspot/api-client.
            { from: { file: { path: ['src/server/google/**', 'src/server/connectors/google-tasks.ts'] } }, allow: { to: external('googleapis') } },
            { from: { file: { path: ['src/server/google/**', 'src/server/connectors/google-tasks.ts'] } }, allow: { to: external('google-auth-library') } },
            { disallow: { to: external('@hubspot/api-client') } },
            { from: { file: { path: 'src/server/connectors/hubspot.ts' } }, allow: { to: external('@hubspot/api-client') } },
            { disallow: { to: external('jsforce') } },
            { from: { file: { path: 'src/server/connectors/salesforce.ts' } }, allow: { to: external('jsforce') } },
          ],
        },
      ],
      // Office.js is a global: only the adapter may reach it.
      'no-restricted-globals': ['error', { name: 'Office', message: 'Office.js is reached only through src/outlook/office (the one adapter)' }],
      // Configuration is read in one place.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in src/server/config.ts (ENV_VARS) and pass it in' }],
    },
  },
  {
    // tsc -p tsconfig.core.json keeps DOM types out of core, but liquidjs' typings reference Node's,
    // so Node's globals still type-check there: name them here.
    files: ['src/core/**', 'src/contract/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'global', 'require', 'module', '__dirname', '__filename', 'setImmediate', 'clearImmediate'].map((name) => ({ name, message: 'src/core and src/contract run in browsers and Outlook\'s event runtime too: no Node globals' })),
        { name: 'Office', message: 'Office.js is reached only through src/outlook/office (the one adapter)' },
      ],
    },
  },
  {
    // The faces that run in a browser take the contract's TYPES only: its schemas (TypeBox code)
    // stay on the store, out of the pane's and the console's bundles.
    files: ['src/outlook/**', 'src/admin/**', 'src/client/**', 'src/inbox/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/contract/*'], allowTypeImports: true, message: 'browser faces import the contract with `import type` (its schemas are for the store)' }] },
      ],
    },
  },
  {
    files: ['src/outlook/office/**'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    // config.ts reads the environment for the store; the CLI's entry hands the process's
    // environment to a run (runCli), so in-process test runs can give their own.
    files: ['src/server/config.ts', 'src/cli/main.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
