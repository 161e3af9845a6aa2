import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';

/**
 * The faces' build, in the shape of Microsoft's task-pane template: one entry per page, one
 * HtmlWebpackPlugin per page, output in dist/ (served by the store at /addin/). The Outlook
 * event-handler bundle will be its own entry without React or code splitting.
 */
const pages = [
  { name: 'taskpane', entry: './src/outlook/taskpane/index.tsx', template: './src/outlook/taskpane/taskpane.html' },
  // Dev harness only: the real task pane beside a simulated Outlook item. Never in a manifest.
  { name: 'playground', entry: './src/outlook/playground/index.tsx', template: './src/outlook/playground/playground.html' },
  { name: 'admin', entry: './src/admin/index.tsx', template: './src/admin/admin.html' },
];

export default (_env, argv) => {
  const production = argv.mode === 'production';
  return {
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: Object.fromEntries(pages.map((p) => [p.name, p.entry])),
    output: {
      path: fileURLToPath(new URL('./dist', import.meta.url)),
      filename: '[name].[contenthash:8].js',
      publicPath: '/addin/',
      clean: true,
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
    optimization: { splitChunks: { chunks: 'all', cacheGroups: { vendor: { test: /node_modules/, name: 'vendor' } } } },
    plugins: pages.map((p) => new HtmlWebpackPlugin({ filename: `${p.name}.html`, template: p.template, chunks: [p.name] })),
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
