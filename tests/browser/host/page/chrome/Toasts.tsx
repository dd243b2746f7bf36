import { css } from '@emotion/css';
import { useEffect, useState } from 'react';
import { AppEvents, type BusEventType, type GrafanaTheme2 } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';
import { hostTestIds } from '../../testIds';

interface Toast {
  id: number;
  severity: 'success' | 'warning' | 'error' | 'info';
  title: string;
  text?: string;
}

const SEVERITIES = [
  [AppEvents.alertSuccess.name, 'success'],
  [AppEvents.alertWarning.name, 'warning'],
  [AppEvents.alertError.name, 'error'],
  [AppEvents.alertInfo.name, 'info'],
] as const;

let nextId = 1;

/** Grafana's notification list: `appEvents` alerts as toasts; successes go away by themselves. */
export function Toasts() {
  const styles = useStyles2(getStyles);
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEffect(() => {
    const events = getAppEvents();
    const subscriptions = SEVERITIES.map(([type, severity]) =>
      events.subscribe({ type } as BusEventType<{ type: string; payload?: unknown[] }>, (event) => {
        const [title, detail] = (event.payload ?? []) as [unknown, unknown];
        const toast: Toast = {
          id: nextId++,
          severity,
          title: String(title),
          text: detail ? String(detail instanceof Error ? detail.message : detail) : undefined,
        };
        setToasts((current) => [...current, toast]);
        if (severity === 'success' || severity === 'info') {
          setTimeout(() => setToasts((current) => current.filter((t) => t.id !== toast.id)), 8000);
        }
      })
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  }, []);

  return (
    <div className={styles.list}>
      {toasts.map((toast) => (
        <div key={toast.id} data-testid={hostTestIds.chrome.toast}>
          <Alert severity={toast.severity} title={toast.title} onRemove={() => setToasts((current) => current.filter((t) => t.id !== toast.id))}>
            {toast.text}
          </Alert>
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ position: 'fixed', top: theme.spacing(7), right: theme.spacing(2), width: 400, zIndex: theme.zIndex.portal }),
});
