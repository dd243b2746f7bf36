// The few Go functions Grafana's two proxies build the upstream path with, so the host forwards
// exactly the bytes Grafana would: `path.Clean`, `util.JoinURLFragments`, `util.CleanRelativePath`
// and what `url.URL.EscapedPath` does to a Path set without a matching RawPath.

/** Go's `path.Clean`: one slash between segments, `.` and `..` resolved, no trailing slash. */
export function cleanPath(path: string): string {
  if (path === '') {
    return '.';
  }
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') {
      continue;
    }
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') {
        out.pop();
      } else if (!rooted) {
        out.push('..');
      }
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** Grafana's `util.CleanRelativePath`: the cleaned path without its leading slash. */
export function cleanRelativePath(path: string): string {
  return cleanPath(`/${path}`).replace(/^\//, '') || '.';
}

/** Grafana's `util.JoinURLFragments`. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

const UNESCAPED_IN_PATH = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/**
 * Go's `url.PathEscape`-like escaping of a URL's Path (`shouldEscape(c, encodePath)`): what goes
 * on the wire when a proxy sets `URL.Path` to a string that already holds escapes (`%` → `%25`).
 */
export function escapeGoPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNESCAPED_IN_PATH.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
