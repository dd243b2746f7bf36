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
  const patterns = copyFilePatterns.map((p) => ({ ...p, globOptions: { ignore } }));
  return {
    ...base,
    plugins: (base.plugins ?? []).map((plugin) => (plugin instanceof CopyWebpackPlugin ? new CopyWebpackPlugin({ patterns }) : plugin)),
  };
};

export default config;
