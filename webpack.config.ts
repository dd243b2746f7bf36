import type { Configuration } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';
import { copyFilePatterns } from './.config/bundler/copyFiles';

/**
 * The scaffold's config, except that the sidecar's and the shared types' files are never copied
 * into the plugin (the scaffold copies every `src/**\/*.json`).
 */
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  const ignore = ['**/sidecar/**', '**/shared/**'];
  const patterns = [
    ...copyFilePatterns.map((p) => ({ ...p, globOptions: { ignore } })),
    // The nested data source's logo (the scaffold copies only the app's).
    { from: 'datasource/img/*', to: '.' },
  ];
  return {
    ...base,
    plugins: (base.plugins ?? []).map((plugin) => (plugin instanceof CopyWebpackPlugin ? new CopyWebpackPlugin({ patterns }) : plugin)),
  };
};

export default config;
