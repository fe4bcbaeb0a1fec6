/** User administration: list, create, change role / agencies, disable, delete. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { usersApi } from '../api/admin';
import type { Role, UserJson } from '../api/types';
import { Notice, useActionNotice } from '../components/action-notice';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { AgencyOptions, RoleOptions } from '../components/option-lists';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { agencyName, useSession } from '../session';

export function UsersView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const users = useLoad(() => usersApi.list(), []);
  const notice = useActionNotice();
  const [draft, setDraft] = useState({ username: '', password: '', role: 'soc_analyst' as Role, agencies: [] as string[] });

  const run = async (f: () => Promise<unknown>, done?: string): Promise<void> => {
    if (!(await notice.run(f))) return;
    notice.setMessage(done);
    users.reload();
  };
  const create = (e: FormEvent): void => {
    e.preventDefault();
    void run(() => usersApi.create(draft), t('users.created', { name: draft.username })).then(() => setDraft({ username: '', password: '', role: 'soc_analyst', agencies: [] }));
  };
  const toggleAgency = (u: UserJson, id: string): void => {
    const next = u.agencies.includes(id) ? u.agencies.filter((a) => a !== id) : [...u.agencies, id];
    void run(() => usersApi.update(u.username, { agencies: next }));
  };

  return (
    <div className="view">
      <PageHeader title={t('users.title')} />
      <Notice message={notice.message} />
      <section className="panel">
        <h2>{t('users.create')}</h2>
        <form className="inline-form" onSubmit={create}>
          <input value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} placeholder={t('login.username')} required aria-label={t('login.username')} />
          <input type="password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} placeholder={t('login.password')} required minLength={8} aria-label={t('login.password')} autoComplete="new-password" />
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })} aria-label={t('users.role')}>
            <RoleOptions />
          </select>
          <select
            multiple
            value={draft.agencies}
            onChange={(e) => setDraft({ ...draft, agencies: [...e.target.selectedOptions].map((o) => o.value) })}
            aria-label={t('users.agencies')}
            className="multi"
          >
            <AgencyOptions />
          </select>
          <button className="btn primary" type="submit">
            {t('users.createButton')}
          </button>
        </form>
      </section>
      <section className="panel">
        <LoadState loaded={users}>
          {(list) => (
            <DataTable columns={[t('login.username'), t('users.role'), t('users.agencies'), t('users.state'), t('users.lastLogin'), '']}>
              {list.map((u) => (
                <tr key={u.username} className={u.disabled ? 'muted' : ''}>
                  <td>{u.username}</td>
                  <td>
                    <select value={u.role} onChange={(e) => void run(() => usersApi.update(u.username, { role: e.target.value as Role }))} aria-label={t('users.role')}>
                      <RoleOptions />
                    </select>
                  </td>
                  <td>
                    {u.role === 'admin' ? (
                      <span className="muted">{t('top.allAgencies')}</span>
                    ) : (
                      <div className="chips">
                        {session.agencies.map((a) => (
                          <button key={a.id} type="button" className={`chip small${u.agencies.includes(a.id) ? ' on' : ''}`} onClick={() => toggleAgency(u, a.id)}>
                            {a.name}
                          </button>
                        ))}
                        {u.agencies
                          .filter((id) => !session.agencies.some((a) => a.id === id))
                          .map((id) => (
                            <span key={id} className="chip small on">
                              {agencyName(session, id)}
                            </span>
                          ))}
                      </div>
                    )}
                  </td>
                  <td>{u.disabled ? t('users.disabled') : t('users.enabled')}</td>
                  <td>{i18n.date(u.lastLoginAt)}</td>
                  <td className="nowrap">
                    <button className="btn small" type="button" onClick={() => void run(() => usersApi.update(u.username, { disabled: !u.disabled }))}>
                      {u.disabled ? t('users.enable') : t('users.disable')}
                    </button>{' '}
                    <button
                      className="btn small danger"
                      type="button"
                      onClick={() => {
                        if (window.confirm(t('users.confirmDelete', { name: u.username }))) void run(() => usersApi.remove(u.username));
                      }}
                    >
                      {t('common.delete')}
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
