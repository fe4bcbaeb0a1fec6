/** One's API tokens and sessions: create (the secret is shown once), revoke. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { tokensApi } from '../api/admin';
import { Notice, SecretNotice, useActionNotice } from '../components/action-notice';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';

export function TokensView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const tokens = useLoad(() => tokensApi.list(), []);
  const [name, setName] = useState('');
  const [ttl, setTtl] = useState('90');
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const notice = useActionNotice();

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const done = await notice.run(async () => {
      const created = await tokensApi.create({ name, ttlDays: ttl === '' ? undefined : Number(ttl) });
      setSecret(created.token);
      setName('');
    });
    if (done) tokens.reload();
  };
  const revoke = async (id: string): Promise<void> => {
    if (await notice.run(() => tokensApi.revoke(id))) tokens.reload();
  };

  return (
    <div className="view">
      <PageHeader title={t('tokens.title')} />
      <Notice message={notice.message} />
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
        {secret !== undefined && <SecretNotice intro={t('tokens.secretOnce')} secret={secret} className="mono" />}
      </section>
      <section className="panel">
        <LoadState loaded={tokens}>
          {(list) => (
            <DataTable columns={[t('tokens.name'), t('tokens.kind'), t('tokens.created'), t('tokens.expiry'), t('tokens.lastUsed'), '']}>
              {list.map((x) => (
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
            </DataTable>
          )}
        </LoadState>
      </section>
    </div>
  );
}
