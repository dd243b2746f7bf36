import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import webpack from 'webpack';
import { hostWebpackConfig } from './webpack.host';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const PAGE_DIR = join(__dirname, 'page');
const CACHE_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'lookback-browser-host');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * React's and Grafana's production builds, as Grafana serves them; LOOKBACK_HOST_DEV=1 builds
 * their development builds instead, whose errors say more while a test is being debugged.
 */
const MODE = process.env.LOOKBACK_HOST_DEV === '1' ? 'development' : 'production';

/** Changes whenever the page code, its webpack config, the installed packages or the mode change. */
function bundleKey(): string {
  const hash = createHash('sha256').update(MODE);
  const inputs = [...filesUnder(PAGE_DIR), join(__dirname, 'webpack.host.ts'), join(__dirname, 'bootData.ts'), join(REPO_ROOT, 'package-lock.json')];
  for (const file of inputs.sort()) {
    hash.update(relative(REPO_ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function runWebpack(outputDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(hostWebpackConfig(PAGE_DIR, outputDir, MODE), (err, stats) => {
      if (err) {
        reject(err);
        return;
      }
      if (stats?.hasErrors()) {
        const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
        reject(new Error(`the test host page does not build:\n${errors.map((e) => e.message).join('\n\n')}`));
        return;
      }
      resolve();
    });
  });
}

/**
 * The browser side of the test host (React, Grafana's packages and the host pages) built into a
 * folder once per version of its inputs, under node_modules/.cache. Returns that folder.
 */
export async function ensureHostBundle(log: (line: string) => void = () => {}): Promise<string> {
  const dir = join(CACHE_ROOT, bundleKey());
  if (existsSync(join(dir, 'host.js'))) {
    return dir;
  }
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const started = Date.now();
  log(`building the browser test host into ${relative(REPO_ROOT, dir)} ...`);
  await runWebpack(building);
  try {
    renameSync(building, dir);
  } catch (err) {
    // Another run finished the same build first: keep its copy.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(dir, 'host.js'))) {
      throw err;
    }
  }
  // Builds of earlier inputs are of no more use.
  for (const name of readdirSync(CACHE_ROOT)) {
    if (join(CACHE_ROOT, name) !== dir && !name.includes('.building-')) {
      rmSync(join(CACHE_ROOT, name), { recursive: true, force: true });
    }
  }
  log(`built the browser test host in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return dir;
}
