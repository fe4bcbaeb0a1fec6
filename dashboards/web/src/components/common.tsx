/** Small shared pieces: badges, page header, loading / error / not-available states, time range. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import type { AlertStatus, Severity } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';

export function SeverityBadge(props: { severity: Severity | string }): ReactNode {
  const { t } = useI18n();
  return <span className={`sev sev-${props.severity}`}>{t(`severity.${props.severity}` as MessageKey)}</span>;
}

export function StatusBadge(props: { status: AlertStatus | string }): ReactNode {
  const { t } = useI18n();
  const key = `status.${props.status}` as MessageKey;
  return <span className={`status status-${props.status}`}>{t(key)}</span>;
}

export function PageHeader(props: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }): ReactNode {
  return (
    <div className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle !== undefined && <div className="subtitle">{props.subtitle}</div>}
      </div>
      <div className="page-actions">{props.children}</div>
    </div>
  );
}

export function Loading(): ReactNode {
  const { t } = useI18n();
  return <div className="state loading">{t('common.loading')}</div>;
}

/** An error, or the "not available on this server" state when the route does not exist (capability not installed). */
export function ErrorState(props: { error: unknown; what?: string }): ReactNode {
  const { t } = useI18n();
  if (props.error instanceof ApiError && props.error.routeMissing) {
    return (
      <div className="state not-available" data-testid="not-available">
        <strong>{t('common.notAvailable')}</strong>
        <p>{t('common.notAvailableHint', { what: props.what ?? props.error.path })}</p>
      </div>
    );
  }
  if (props.error instanceof ApiError && props.error.status === 403) {
    return <div className="state error">{t('common.forbidden')}</div>;
  }
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div className="state error" role="alert">
      <strong>{t('common.error')}</strong> {message}
    </div>
  );
}

export function Empty(props: { children?: ReactNode }): ReactNode {
  const { t } = useI18n();
  return <div className="state empty">{props.children ?? t('common.empty')}</div>;
}

export const TIME_RANGES = ['now-15m', 'now-1h', 'now-24h', 'now-7d', 'now-30d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export function TimeRangeSelect(props: { value: string; onChange(value: string): void; allowAll?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <select className="time-range" value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={t('time.range')}>
      {TIME_RANGES.map((r) => (
        <option key={r} value={r}>
          {t(`time.${r}` as MessageKey)}
        </option>
      ))}
      {props.allowAll && <option value="">{t('time.all')}</option>}
    </select>
  );
}

export function Field(props: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="kv">
      <div className="kv-label">{props.label}</div>
      <div className="kv-value">{props.children}</div>
    </div>
  );
}
