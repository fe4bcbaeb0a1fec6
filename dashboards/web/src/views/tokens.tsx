/** One's API tokens and sessions: create (the secret is shown once), revoke. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { tokensApi } from '../api/admin';
import { ErrorState, Loading, PageHeader } from '../components/common';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';

export function TokensView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const tokens = useLoad(() => tokensApi.list(), []);
  const [name, setName] = useState('');
  const [ttl, setTtl] = useState('90');
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      const created = await tokensApi.create({ name, ttlDays: ttl === '' ? undefined : Number(ttl) });
      setSecret(created.token);
      setName('');
      tokens.reload();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  const revoke = async (id: string): Promise<void> => {
    try {
      await tokensApi.revoke(id);
      tokens.reload();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="view">
      <PageHeader title={t('tokens.title')} />
      {message !== undefined && <div className="notice">{message}</div>}
      <section className="panel">
        <h2>{t('tokens.create')}</h2>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('tokens.namePlaceholder')} required aria-label={t('tokens.name')} />
          <select value={ttl} onChange={(e) => setTtl(e.target.value)} aria-label={t('tokens.expiry')}>
            <option value="30">{t('tokens.days', { n: 30 })}</option>
            <option value="90">{t('tokens.days', { n: 90 })}</option>
            <option value="365">{t('tokens.days', { n: 365 })}</option>
            <option value="">{t('tokens.never')}</option>
          </select>
          <button className="btn primary" type="submit">
            {t('tokens.createButton')}
          </button>
        </form>
        {secret !== undefined && (
          <div className="notice secret">
            {t('tokens.secretOnce')}
            <pre className="mono">{secret}</pre>
          </div>
        )}
      </section>
      <section className="panel">
        {tokens.error !== undefined ? (
          <ErrorState error={tokens.error} />
        ) : !tokens.data ? (
          <Loading />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('tokens.name')}</th>
                <th>{t('tokens.kind')}</th>
                <th>{t('tokens.created')}</th>
                <th>{t('tokens.expiry')}</th>
                <th>{t('tokens.lastUsed')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((x) => (
                <tr key={x.id}>
                  <td className="ellipsis-cell">{x.name ?? '–'}</td>
                  <td>{x.kind === 'api' ? t('tokens.api') : t('tokens.session')}</td>
                  <td>{i18n.date(x.createdAt)}</td>
                  <td>{x.expiresAt ? i18n.date(x.expiresAt) : t('tokens.never')}</td>
                  <td>{i18n.date(x.lastUsedAt)}</td>
                  <td>
                    <button className="btn small danger" type="button" onClick={() => void revoke(x.id)}>
                      {t('tokens.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
