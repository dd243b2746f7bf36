import { config } from '@grafana/runtime';
import type { NavModelItem } from '@grafana/data';

/** The navigation the server built into the boot data, as Grafana's mega menu shows it. */
export function navTree(): NavModelItem[] {
  return config.bootData.navTree as NavModelItem[];
}

function pathOf(url = ''): string {
  return url.split('?')[0];
}

/** The chain of nav items leading to the page at `pathname`, section first (deepest match wins). */
export function activeNavPath(pathname: string, items: NavModelItem[] = navTree()): NavModelItem[] {
  let best: NavModelItem[] = [];
  for (const item of items) {
    const childPath = activeNavPath(pathname, item.children ?? []);
    const own = item.url && (pathname === pathOf(item.url) || pathname.startsWith(`${pathOf(item.url)}/`)) ? [item] : [];
    const candidate = childPath.length > 0 ? [item, ...childPath] : own;
    if (candidate.length > 0 && pathOf(candidate[candidate.length - 1].url).length > (best.length ? pathOf(best[best.length - 1].url).length : -1)) {
      best = candidate;
    }
  }
  return best;
}
