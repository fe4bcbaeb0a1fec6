/** "Suppress similar" on an alert: a suppression rule for this rule, agency and group values. */
import { useState, type ReactNode } from 'react';
import { suppressionsApi } from '../api/alerts';
import type { Alert } from '../api/types';
import { useI18n } from '../i18n';
import { errorText } from '../lib/error-text';

const EXPIRIES = ['now+1d', 'now+7d', 'now+30d', ''] as const;

export function ExpirySelect(props: { value: string; onChange(v: string): void }): ReactNode {
  const { t } = useI18n();
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={t('suppress.expires')}>
      {EXPIRIES.map((x) => (
        <option key={x} value={x}>
          {x === '' ? t('suppress.never') : t(`suppress.for.${x}`)}
        </option>
      ))}
    </select>
  );
}

/** "Suppress similar": this rule, this agency, the alert's group values (e.g. the source address). */
export function SuppressButton(props: { alert: Alert }): ReactNode {
  const { t } = useI18n();
  const a = props.alert;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState<string>('now+7d');
  const [result, setResult] = useState<string | undefined>(undefined);
  if (!open) {
    return (
      <button className="btn" type="button" onClick={() => setOpen(true)} data-action="suppress">
        {t('suppress.similar')}
      </button>
    );
  }
  const submit = async (): Promise<void> => {
    try {
      await suppressionsApi.create({ rule_id: a.rule.id, organization: a.organization.id, match: Object.keys(a.group).length > 0 ? a.group : undefined, reason: reason.trim(), expires_at: expires === '' ? null : expires });
      setResult(t('suppress.created'));
      setOpen(false);
    } catch (err) {
      setResult(errorText(err));
    }
  };
  return (
    <form
      className="inline-form suppress-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim() !== '') void submit();
      }}
    >
      <span className="muted">
        {t('suppress.what', { rule: a.rule.name })} {Object.entries(a.group).map(([k, v]) => <span key={k} className="tag mono">{`${k}: ${v}`}</span>)}
      </span>
      <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('suppress.reasonPlaceholder')} aria-label={t('suppress.reason')} required autoFocus />
      <ExpirySelect value={expires} onChange={setExpires} />
      <button className="btn primary" type="submit">
        {t('suppress.create')}
      </button>
      <button className="btn ghost" type="button" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
      {result !== undefined && <span className="notice">{result}</span>}
    </form>
  );
}
