/** Dark sidebar with the permitted menu; top bar with the agency selector, language switch and user. */
import type { ReactNode } from 'react';
import { sessionApi } from './api/session';
import { LANGS, useI18n, type Lang } from './i18n';
import { Link } from './router';
import { visibleMenu } from './routes';
import { useSession } from './session';
import { AgencyOptions } from './components/option-lists';

export function Layout(props: { active: string; children: ReactNode }): ReactNode {
  const session = useSession();
  const i18n = useI18n();
  const { t } = i18n;
  const groups = visibleMenu(session);
  const fixedAgency = session.agencies.length === 1;
  const chooseLang = (l: Lang): void => {
    i18n.setLang(l, session.me.user.username);
    // Kept on the user too, so it follows them to another browser; the switch works even if this fails.
    void sessionApi.setLocale(l).catch(() => undefined);
  };
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('menu.label')}>
        <div className="brand">
          <span className="brand-mark">◆</span> socnoc
        </div>
        {groups.map((g) => (
          <div className="menu-group" key={g.label}>
            <div className="menu-group-label">{t(g.label)}</div>
            {g.items.map((item) => (
              <Link key={item.id} to={item.path} className={item.id === props.active ? 'menu-item active' : 'menu-item'} data-menu={item.id}>
                {t(item.label)}
              </Link>
            ))}
          </div>
        ))}
      </nav>
      <div className="main">
        <header className="topbar">
          <label className="agency-select">
            <span>{t('top.agency')}</span>
            {fixedAgency ? (
              <strong>{session.agencies[0].name}</strong>
            ) : (
              <select value={session.agency} onChange={(e) => session.setAgency(e.target.value)} data-testid="agency-select">
                <option value="">{t('top.allAgencies')}</option>
                <AgencyOptions />
              </select>
            )}
          </label>
          <div className="topbar-right">
            <div className="lang-switch" role="group" aria-label={t('top.language')}>
              {LANGS.map((l) => (
                <button key={l} type="button" className={i18n.lang === l ? 'on' : ''} onClick={() => chooseLang(l)} data-lang={l}>
                  {l === 'vi' ? 'Tiếng Việt' : 'English'}
                </button>
              ))}
            </div>
            <span className="user" title={t(`role.${session.me.user.role}`)}>
              {session.me.user.username} · <em>{t(`role.${session.me.user.role}`)}</em>
            </span>
            <button type="button" className="btn ghost" onClick={session.logout} data-testid="logout">
              {t('top.logout')}
            </button>
          </div>
        </header>
        <main className="content">{props.children}</main>
      </div>
    </div>
  );
}
