/** A sidecar's answer that was not 2xx: its status and message. */
export class SidecarRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown
  ) {
    super(message);
  }
}

export interface SidecarHttpClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** JSON over HTTP to a running sidecar, with its bearer token. */
export function sidecarHttpClient(url: string, token: string | undefined): SidecarHttpClient {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new SidecarRequestError(
        0,
        `cannot reach the sidecar at ${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`,
        undefined
      );
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = (parsed as { message?: string } | undefined)?.message ?? response.statusText;
      throw new SidecarRequestError(response.status, `${method} ${path}: ${response.status} ${message}`, parsed);
    }
    return parsed as T;
  }
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
  };
}
