// The part of Grafana's SystemJS plugin loader that plugin bundles rely on: a global AMD
// `define`, the shared modules handed to the bundle as its externals, and the `module`
// dependency whose `uri` the bundle uses to find its own lazy chunks.

type Factory = (...deps: unknown[]) => unknown;

interface AmdDefine {
  (deps: string[] | Factory, factory?: Factory): void;
  amd: object;
}

declare global {
  interface Window {
    define?: AmdDefine;
  }
}

const defined = new Map<string, { deps: string[]; factory: Factory }>();
const loaded = new Map<string, Promise<unknown>>();

const define = ((deps: string[] | Factory, factory?: Factory) => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script?.src) {
    throw new Error('define() was called outside a plugin module loaded by the host');
  }
  defined.set(script.src, Array.isArray(deps) ? { deps, factory: factory! } : { deps: [], factory: deps });
}) as AmdDefine;
define.amd = {};
window.define = define;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load the plugin module ${src}`));
    document.head.appendChild(script);
  });
}

async function instantiate(src: string, shared: Record<string, unknown>): Promise<unknown> {
  await loadScript(src);
  const definition = defined.get(src);
  if (!definition) {
    throw new Error(`${src} loaded but did not call define(): it is not an AMD plugin bundle`);
  }
  const exports: Record<string, unknown> = {};
  const args = definition.deps.map((dep) => {
    if (dep === 'module') {
      return { id: src, uri: src };
    }
    if (dep === 'exports') {
      return exports;
    }
    if (!(dep in shared)) {
      throw new Error(`${src} needs the shared module "${dep}", which the test host does not provide (see tests/browser/host/page/sharedModules.tsx)`);
    }
    return shared[dep];
  });
  return definition.factory(...args) ?? exports;
}

/** Loads a plugin's module.js once per URL (relative to the page's base) and returns its exports. */
export function importPluginModule(path: string, shared: Record<string, unknown>): Promise<unknown> {
  const src = new URL(path, document.baseURI).href;
  if (!loaded.has(src)) {
    loaded.set(src, instantiate(src, shared));
  }
  return loaded.get(src)!;
}
