import { join } from 'node:path';
import webpack, { type Configuration } from 'webpack';

const NODE_MODULES = join(__dirname, '..', '..', '..', 'node_modules');

/**
 * The host page: Grafana's own packages from node_modules plus the host's pages, in one bundle
 * whose module instances are handed to the plugin's AMD bundles as their externals.
 */
export function hostWebpackConfig(pageDir: string, outputDir: string, mode: 'production' | 'development'): Configuration {
  return {
    mode,
    context: pageDir,
    entry: { host: './main.tsx' },
    devtool: false,
    // Built once per input version; minifying would only slow that down.
    optimization: { minimize: false },
    performance: { hints: false },
    output: { path: outputDir, filename: '[name].js', chunkFilename: '[name].[contenthash:8].js', publicPath: '/public/host/', clean: true },
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js'],
      alias: {
        // Grafana core swaps in its page chrome with this setter, which the package does not export.
        'grafana-runtime-plugin-page$': join(NODE_MODULES, '@grafana', 'runtime', 'dist', 'esm', 'components', 'PluginPage.mjs'),
        // ... and sets up i18n with this, which the package does not export either.
        'grafana-i18n-internal$': join(NODE_MODULES, '@grafana', 'i18n', 'dist', 'esm', 'i18n.mjs'),
      },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true, dynamicImport: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        // Grafana's packages are .mjs files that import CommonJS packages (react-custom-scrollbars-2, ...)
        // for their `default`: read them with the usual __esModule interop, as Grafana's build does.
        { test: /\.m?js$/, type: 'javascript/auto', resolve: { fullySpecified: false } },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(woff2?|ttf|eot|svg|png)$/, type: 'asset/resource' },
      ],
    },
    plugins: [new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify(mode) })],
  };
}
