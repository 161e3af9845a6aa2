import { fileURLToPath } from 'node:url';
import { constants as zlib } from 'node:zlib';
import CompressionPlugin from 'compression-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import MinimizerPlugin from 'minimizer-webpack-plugin';
import webpack from 'webpack';
import { manifestFiles, manifestSettings } from './manifest/generate.js';

/**
 * The faces' build, in the shape of Microsoft's task-pane template: one entry per page, one
 * HtmlWebpackPlugin per page, output in dist/ (served by the store at /addin/). The Outlook
 * event-handler bundle will be its own entry without React or code splitting.
 */
const pages = [
  // `boot`: a small first entry the page's entry depends on (it holds webpack's runtime and shares
  // its modules: dependOn), run as soon as it arrives, before React and Fluent UI are downloaded: it
  // sends the page's first requests while the rest still loads (docs/performance.md). The task pane
  // asks for the rep's packs.
  { name: 'taskpane', entry: './src/outlook/taskpane/index.tsx', boot: './src/outlook/taskpane/boot.ts', template: './src/outlook/taskpane/taskpane.html' },
  // Dev harness only: the real task pane beside a simulated Outlook item. Never in a manifest.
  { name: 'playground', entry: './src/outlook/playground/index.tsx', template: './src/outlook/playground/playground.html' },
  { name: 'admin', entry: './src/admin/index.tsx', template: './src/admin/admin.html' },
  // The team inbox's boot asks for /me, its inboxes and the first list page ('Team inbox').
  { name: 'inbox', entry: './src/inbox/index.tsx', boot: './src/inbox/boot.ts', template: './src/inbox/inbox.html' },
  // Outlook's dialog sign-in (MSAL redirect) for clients without nested app authentication.
  { name: 'signin', entry: './src/outlook/auth/signin-page.ts', template: './src/outlook/auth/signin.html' },
];

/** A page's webpack entries, in the order its HTML loads them: its boot first when it has one. */
const entriesOf = (page) => (page.boot ? { [`${page.name}-boot`]: page.boot, [page.name]: { import: page.entry, dependOn: `${page.name}-boot` } } : { [page.name]: page.entry });

/** Pages kept out of the shared vendor chunks: they must not load React and Fluent UI. */
const SMALL_PAGES = new Set(['signin']);
/** Pages built in a compilation of their own (pagesConfig says why). */
const OWN_COMPILATION = new Set(['taskpane']);

/** Adds the manifests (and their icons) to the build output, with the URLs of this build. */
class OutlookManifestPlugin {
  constructor(settings) {
    this.settings = settings;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('OutlookManifestPlugin', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'OutlookManifestPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        for (const [file, content] of Object.entries(manifestFiles(this.settings))) compilation.emitAsset(file, new webpack.sources.RawSource(content));
      });
    });
  }
}

/**
 * Adds `<link rel="preload" as="script">` to a page's HTML for the files of some named lazy chunk
 * groups (webpackChunkName), so the browser fetches and compiles them while the page's own scripts
 * load, instead of once the entry has run and asked for them. Webpack's `webpackPreload` comment
 * cannot do this: it preloads from a parent chunk once that chunk runs, never from the HTML.
 * Used by the task pane only: its views and templates list are on the path to the list of
 * templates that issue #18 times (docs/performance.md, 'Where the task pane's time goes').
 * The preloads ask for a low priority and the page's own scripts for a high one: Chromium fetches
 * a preloaded script before a deferred one otherwise, and the entry must not wait for the chunks.
 */
class PreloadChunksPlugin {
  constructor(groups) {
    this.groups = groups;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('PreloadChunksPlugin', (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap('PreloadChunksPlugin', (data) => {
        const initial = new Set(data.headTags.concat(data.bodyTags).map((tag) => tag.attributes.src).filter(Boolean));
        const files = new Set();
        for (const name of this.groups) {
          const group = compilation.namedChunkGroups.get(name);
          if (!group) throw new Error(`PreloadChunksPlugin: no chunk named "${name}" (a webpackChunkName comment on its import())`);
          for (const chunk of group.chunks) for (const file of chunk.files) if (file.endsWith('.js') && !initial.has(data.publicPath + file)) files.add(data.publicPath + file);
        }
        const links = [...files].map((href) => HtmlWebpackPlugin.createHtmlTagObject('link', { rel: 'preload', as: 'script', href, fetchpriority: 'low' }));
        const headTags = data.headTags.map((tag) => (tag.tagName === 'script' && tag.attributes.src ? { ...tag, attributes: { ...tag.attributes, fetchpriority: 'high' } } : tag));
        return { ...data, headTags: [...headTags, ...links] };
      });
    });
  }
}

/**
 * The Outlook event-handler bundle: one self-contained events.js (no splitting, no runtime
 * chunk, no eval source maps, no dev-server client), compiled down to ES2016 because classic
 * Outlook on Windows builds before 2403 run handlers in a JavaScript-only runtime that knows
 * nothing newer. Its name has no hash: the manifests point at it.
 */
function eventsConfig(production, addinDefine, settings) {
  return {
    name: 'events',
    // Built after the pages, so their clean-up of dist/ never removes events.js or the manifests.
    dependencies: ['faces'],
    mode: production ? 'production' : 'development',
    devtool: production ? false : 'source-map',
    target: ['web', 'es2016'],
    entry: { events: './src/outlook/events/index.ts' },
    output: {
      path: fileURLToPath(new URL('./dist', import.meta.url)),
      filename: '[name].js',
      publicPath: '/addin/',
      clean: false,
      environment: { arrowFunction: true, const: true, destructuring: true, forOf: true, templateLiteral: true, asyncFunction: false, optionalChaining: false, dynamicImport: false, module: false, bigIntLiteral: false },
    },
    resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
    module: {
      rules: [
        { test: /\.ts$/, loader: 'ts-loader', exclude: /node_modules/, options: { transpileOnly: true, compilerOptions: { noEmit: false, target: 'ES2016', module: 'ES2022', moduleResolution: 'Bundler' } } },
        // The signature code decodes character references with `entities`, shipped as ES2022
        // (numeric separators, ?.): compiled down with the rest for the ES2016 runtime.
        { test: /\.js$/, include: /[\\/]node_modules[\\/]entities[\\/]/, loader: 'ts-loader', options: { transpileOnly: true, compilerOptions: { noEmit: false, allowJs: true, target: 'ES2016', module: 'ES2022', moduleResolution: 'Bundler' } } },
      ],
    },
    optimization: { splitChunks: false, runtimeChunk: false },
    plugins: [
      new webpack.DefinePlugin(addinDefine),
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      new HtmlWebpackPlugin({ filename: 'events.html', template: './src/outlook/events/events.html', chunks: ['events'], scriptLoading: 'blocking', inject: 'head' }),
      new OutlookManifestPlugin(settings),
      ...precompressed(production),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

/**
 * The production build writes each script and style sheet also gzipped and brotli-compressed
 * beside it; the store serves those to browsers that accept them (@fastify/static
 * `preCompressed`, src/server/app.ts), so a pane loads over a slow link the bytes the size budget
 * counts, without compressing at every request or needing a proxy that compresses. Brotli at
 * quality 9: within ~2 % of 11's size, a fraction of its build time.
 */
function precompressed(production) {
  if (!production) return [];
  const test = /\.(js|css|html|svg)$/;
  return [
    new CompressionPlugin({ test, algorithm: 'gzip', filename: '[path][base].gz', threshold: 1024, minRatio: 0.9 }),
    new CompressionPlugin({ test, algorithm: 'brotliCompress', filename: '[path][base].br', compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }, threshold: 1024, minRatio: 0.9 }),
  ];
}

/**
 * One compilation of pages (they share chunks). Webpack drops a library's unused exports per
 * compilation: a module shared by several pages keeps every export any of them uses, wherever it
 * lands. So the task pane, whose first paint is budgeted against an empty React + Fluent page
 * (docs/performance.md, 'Size'), is its own compilation: Fluent's tokens and Griffel's runtime
 * style compiler that the console or the team inbox use no longer ride in its first paint.
 */
function pagesConfig({ name, list, production, addinDefine, clean, dependencies, preload }) {
  return {
    name,
    ...(dependencies ? { dependencies } : {}),
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: Object.assign({}, ...list.map(entriesOf)),
    output: {
      path: fileURLToPath(new URL('./dist', import.meta.url)),
      filename: '[name].[contenthash:8].js',
      publicPath: '/addin/',
      clean,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // Sources import './x.js' (NodeNext); webpack finds the .ts/.tsx behind it.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      // ES module output lets webpack tree-shake Fluent UI (NodeNext + transpileOnly would emit CommonJS).
      rules: [{ test: /\.tsx?$/, loader: 'ts-loader', exclude: /node_modules/, options: { transpileOnly: true, compilerOptions: { noEmit: false, module: 'ES2022', moduleResolution: 'Bundler' } } }],
    },
    optimization: {
      // swc's minifier instead of webpack's default terser: the same two compress passes, half
      // the build time (terser was two thirds of it) and slightly smaller output; the events
      // bundle keeps terser (small, and held to ES2016 for Outlook's JavaScript-only runtime).
      // In this process: swc cannot run in worker threads, so the plugin would fork processes with
      // this one's flags, and a build started by `node -e` (test/support/run-tests.mjs) re-ran its
      // script in every child; swc alone here is faster than terser in parallel anyway.
      minimizer: [new MinimizerPlugin({ parallel: false, minify: { implementation: MinimizerPlugin.swcMinify, options: { compress: { passes: 2 } } } })],
      splitChunks: {
        chunks: 'all',
        cacheGroups: {
          // Only what pages load up front: lazily imported libraries (MSAL on first sign-in, lazy
          // panels) stay in their own async chunks instead of joining the first paint. No fixed
          // name: webpack groups the libraries by the set of pages that load them, so a page's
          // first paint carries only what it imports itself (one 'vendor' chunk for every page
          // gave the task pane the console's and the team inbox's form controls; docs/performance.md).
          vendor: { test: /node_modules/, chunks: (chunk) => chunk.canBeInitial() && !SMALL_PAGES.has(chunk.name), reuseExistingChunk: true },
          // The libraries of the lazy chunks a page preloads go into one file per chunk
          // (`<name>-libs`), where webpack would otherwise split out a file per set of chunks
          // sharing a library: the task pane's first view was ten files, fetched over HTTP/1.1's six
          // connections one after another. A later panel needing one of those libraries loads that
          // file, which the page has by then anyway.
          ...(preload ? { preloaded: { chunks: 'async', test: (module, { chunkGraph }) => /node_modules/.test(module.nameForCondition() ?? '') && [...chunkGraph.getModuleChunksIterable(module)].some((chunk) => preload.includes(chunk.name)), name: (module, chunks) => `${chunks.map((chunk) => chunk.name).find((name) => preload.includes(name))}-libs`, enforce: true, priority: 20 } } : {}),
        },
      },
    },
    plugins: [
      new webpack.DefinePlugin(addinDefine),
      ...list.map((p) => new HtmlWebpackPlugin({ filename: `${p.name}.html`, template: p.template, chunks: Object.keys(entriesOf(p)), ...(p.boot ? { chunksSortMode: 'manual' } : {}) })),
      ...(preload ? [new PreloadChunksPlugin(preload)] : []),
      ...precompressed(production),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

export default (_env, argv) => {
  const production = argv.mode === 'production';
  const settings = manifestSettings(process.env);
  const addinDefine = { __TRADEPANE_ADDIN__: JSON.stringify({ storeUrl: settings.baseUrl, dev: settings.dev, clientId: settings.clientId, apiScope: settings.apiScope }) };
  return [
    // The events and task pane configs write into the same folder, after this one has cleaned it.
    pagesConfig({ name: 'faces', list: pages.filter((p) => !OWN_COMPILATION.has(p.name)), production, addinDefine, clean: { keep: /^(events\.|manifest\.|assets[\\/])/ } }),
    // The task pane's HTML preloads the chunk of its first view, the templates list in it (PreloadChunksPlugin).
    pagesConfig({ name: 'taskpane', list: pages.filter((p) => OWN_COMPILATION.has(p.name)), production, addinDefine, clean: false, dependencies: ['faces'], preload: ['views'] }),
    eventsConfig(production, addinDefine, settings),
  ];
};
