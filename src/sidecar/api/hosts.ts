/**
 * Which `Host` headers the API answers. A sidecar on a loopback address is reachable by every
 * web page the machine's browser opens: a page whose own name resolves to 127.0.0.1 (DNS
 * rebinding) would send its name as the Host, so by default such a sidecar answers only to the
 * loopback names. Listening elsewhere, the network decides who reaches it, so any Host is fine
 * unless `listen.allowedHosts` says otherwise.
 */
export type HostPolicy = { any: true } | { any: false; names: ReadonlySet<string> };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** A host name as compared: lower case, without IPv6 brackets or a trailing dot. */
function canonical(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

export function isLoopbackHost(host: string): boolean {
  const name = canonical(host);
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

export function hostPolicy(listen: { host: string; allowedHosts?: string[] }): HostPolicy {
  if (listen.allowedHosts) {
    return listen.allowedHosts.includes('*') ? { any: true } : { any: false, names: new Set(listen.allowedHosts.map(canonical)) };
  }
  if (isLoopbackHost(listen.host)) {
    return { any: false, names: new Set([...LOOPBACK_NAMES, canonical(listen.host)]) };
  }
  return { any: true };
}

/** The name in a Host header (`[::1]:8089` → `::1`), or undefined when there is none. */
export function hostHeaderName(header: string | undefined): string | undefined {
  if (!header) {
    return undefined;
  }
  const match = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(header.trim());
  return match && match[1] ? canonical(match[1]) : undefined;
}

export function hostAllowed(policy: HostPolicy, header: string | undefined): boolean {
  if (policy.any) {
    return true;
  }
  const name = hostHeaderName(header);
  return name !== undefined && policy.names.has(name);
}

export function describePolicy(policy: HostPolicy): string {
  return policy.any ? 'any host' : [...policy.names].join(', ');
}
