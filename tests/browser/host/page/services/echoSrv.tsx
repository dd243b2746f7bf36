import type { EchoBackend, EchoEvent, EchoSrv } from '@grafana/runtime';

/**
 * Grafana's EchoSrv with no reporting backend registered (what a Grafana with analytics off
 * does): events from `reportInteraction` go to the registered backends, and there are none
 * unless a test adds one.
 */
export class HostEchoSrv implements EchoSrv {
  private readonly backends: EchoBackend[] = [];
  private readonly interactionListeners = new Map<string, Set<(properties: Record<string, unknown>) => void>>();

  flush(): void {
    this.backends.forEach((backend) => backend.flush());
  }

  addBackend(backend: EchoBackend): void {
    this.backends.push(backend);
  }

  addEvent<T extends EchoEvent>(event: Omit<T, 'meta'>, meta: {} = {}): void {
    const full = { ...event, meta: { ...meta, ts: Date.now(), url: window.location.href } } as unknown as EchoEvent;
    this.backends.filter((b) => b.supportedEvents.includes(full.type)).forEach((b) => b.addEvent(full));
    const payload = full.payload as { interactionName?: string; properties?: Record<string, unknown> } | undefined;
    if (payload?.interactionName) {
      this.interactionListeners.get(payload.interactionName)?.forEach((listener) => listener(payload.properties ?? {}));
    }
  }

  onInteraction(name: string, callback: (properties: Record<string, unknown>) => void): () => void {
    const listeners = this.interactionListeners.get(name) ?? new Set();
    listeners.add(callback);
    this.interactionListeners.set(name, listeners);
    return () => listeners.delete(callback);
  }
}
