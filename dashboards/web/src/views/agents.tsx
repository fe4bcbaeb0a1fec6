/** Endpoint agents: status, last seen, version, revoke; enrolment tokens (the secret is shown once). */
import { useState, type ReactNode } from 'react';
import { agentsApi, type EnrollmentToken } from '../api/agents';
import { Notice, SecretNotice, useActionNotice } from '../components/action-notice';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { AgencyOptions } from '../components/option-lists';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { agencyName, useSession } from '../session';

const TOKEN_LIFETIMES = ['1h', '24h', '7d', '30d'] as const;

export function AgentsView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const agents = useLoad(() => agentsApi.list(), [], session.refreshSeconds * 2000);
  const notice = useActionNotice();
  const canManage = session.can('agents:manage');
  const rows = (agents.data ?? []).filter((a) => session.agency === '' || a.organization.id === session.agency);
  const revoke = async (id: string, hostname: string): Promise<void> => {
    if (!window.confirm(t('agents.confirmRevoke', { host: hostname }))) return;
    if (await notice.run(() => agentsApi.revoke(id))) agents.reload();
  };
  const online = rows.filter((a) => a.status === 'online' && !a.revoked).length;
  return (
    <div className="view">
      <PageHeader title={t('agents.title')} subtitle={agents.data ? t('agents.summary', { online: i18n.number(online), total: i18n.number(rows.length) }) : undefined} />
      <Notice message={notice.message} />
      <section className="panel">
        <LoadState loaded={agents} what={t('agents.title')} isEmpty={() => rows.length === 0} empty={t('agents.none')}>
          {() => (
            <DataTable testId="agents" columns={[t('agents.host'), t('devices.status'), t('agents.lastSeen'), t('agents.version'), t('alerts.agency'), t('agents.group'), t('devices.address'), '']}>
              {rows.map((a) => (
                <tr key={a.id} className={a.revoked ? 'muted' : a.status === 'offline' ? 'row-bad' : ''}>
                  <td>
                    <strong>{a.hostname}</strong>
                    <div className="muted small mono">{a.id}</div>
                  </td>
                  <td>
                    {a.revoked ? (
                      <span className="dev-status dev-unknown">{t('agents.revoked')}</span>
                    ) : (
                      <span className={`dev-status ${a.status === 'online' ? 'dev-up' : 'dev-down'}`}>{t(`agents.${a.status}`)}</span>
                    )}
                  </td>
                  <td className="nowrap" title={i18n.date(a.last_seen, 'medium')}>
                    {i18n.relative(a.last_seen)}
                  </td>
                  <td className="mono">{a.version}</td>
                  <td>{agencyName(session, a.organization.id)}</td>
                  <td>{a.group}</td>
                  <td className="mono">{a.address}</td>
                  <td>
                    {canManage && !a.revoked && (
                      <button className="btn small danger" type="button" onClick={() => void revoke(a.id, a.hostname)}>
                        {t('agents.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </LoadState>
      </section>
      {canManage && <EnrollmentTokens />}
    </div>
  );
}

function EnrollmentTokens(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const tokens = useLoad(() => agentsApi.tokens(), []);
  const [agency, setAgency] = useState(session.agency || session.agencies[0]?.id || '');
  const [uses, setUses] = useState(1);
  const [expires, setExpires] = useState<string>('24h');
  const [created, setCreated] = useState<(EnrollmentToken & { token: string }) | undefined>(undefined);
  const notice = useActionNotice();
  const create = async (): Promise<void> => {
    if (!(await notice.run(async () => setCreated(await agentsApi.createToken({ agency, uses, expires }))))) return;
    notice.setMessage(undefined);
    tokens.reload();
  };
  const revoke = async (id: string): Promise<void> => {
    if (await notice.run(() => agentsApi.revokeToken(id))) tokens.reload();
  };
  return (
    <section className="panel">
      <h2>{t('agents.tokens')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (agency !== '') void create();
        }}
      >
        <label>
          {t('alerts.agency')}{' '}
          <select value={agency} onChange={(e) => setAgency(e.target.value)} data-field="token-agency">
            <AgencyOptions />
          </select>
        </label>
        <label>
          {t('agents.uses')} <input type="number" min={1} max={100000} value={uses} onChange={(e) => setUses(Math.max(1, Number(e.target.value) || 1))} className="narrow" />
        </label>
        <label>
          {t('agents.validFor')}{' '}
          <select value={expires} onChange={(e) => setExpires(e.target.value)}>
            {TOKEN_LIFETIMES.map((x) => (
              <option key={x} value={x}>
                {t(`agents.lifetime.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <button className="btn primary" type="submit" data-action="create-enrollment-token">
          {t('agents.createToken')}
        </button>
      </form>
      {created && (
        <SecretNotice intro={t('agents.tokenOnce')} secret={`socnoc-agent enroll --server ${window.location.origin} --token ${created.token}`} testId="enrollment-token" />
      )}
      <Notice message={notice.message} />
      <LoadState loaded={tokens} isEmpty={(list) => list.length === 0}>
        {(list) => (
          <DataTable columns={['ID', t('alerts.agency'), { label: t('agents.uses'), className: 'num' }, t('agents.expires'), t('agents.createdBy'), '']}>
            {list.map((x) => {
              const usable = !x.revoked && x.uses < x.max_uses && Date.parse(x.expires_at) > Date.now();
              return (
                <tr key={x.id} className={usable ? '' : 'muted'}>
                  <td className="mono">{x.id}</td>
                  <td>{agencyName(session, x.agency)}</td>
                  <td className="num">
                    {i18n.number(x.uses)} / {i18n.number(x.max_uses)}
                  </td>
                  <td className="nowrap">{x.revoked ? t('agents.revoked') : i18n.date(x.expires_at)}</td>
                  <td>{x.created_by.replace(/^user:/, '')}</td>
                  <td>
                    {usable && (
                      <button className="btn small danger" type="button" onClick={() => void revoke(x.id)}>
                        {t('agents.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </LoadState>
    </section>
  );
}
