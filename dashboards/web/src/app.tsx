/**
 * The shell: asks the server who is logged in, shows the login page when nobody is (or when any
 * request answers 401: the session expired), and otherwise the menu the user's permissions allow
 * around the routed view.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { alertsApi } from './api/alerts';
import { ApiError, onUnauthorized } from './api/client';
import { LIVE_PAGE, queueServerQuery } from './lib/alert-queue-query';
import { sessionApi } from './api/session';
import type { Agency, Me } from './api/types';
import { Layout } from './layout';
import { useI18n } from './i18n';
import { navigate, useLocation } from './router';
import { SessionContext, type Session } from './session';
import { routeFor, ViewSuspense, WallView } from './routes';
import { LoginView } from './views/login';

type State = { kind: 'loading' } | { kind: 'anonymous'; expired: boolean } | { kind: 'ready'; me: Me; agencies: Agency[]; refreshSeconds: number };

const AGENCY_KEY = 'socnoc.agency';

export function App(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [agency, setAgencyState] = useState<string>(() => sessionStorage.getItem(AGENCY_KEY) ?? '');
  const location = useLocation();
  // load() runs once per login; a ref gives it the current setter without re-running on each language change.
  const setLangRef = useRef(i18n.setLang);
  setLangRef.current = i18n.setLang;

  const load = useCallback(async () => {
    try {
      // All at once rather than one after another: each is a round trip before the first view.
      const path = window.location.pathname;
      if (path === '/' || path === '/alerts') {
        alertsApi.prefetch({ ...queueServerQuery(new URLSearchParams(window.location.search), sessionStorage.getItem(AGENCY_KEY) ?? ''), limit: LIVE_PAGE });
      }
      const agenciesLoad = sessionApi.agencies().catch(() => [] as Agency[]);
      const settingsLoad = sessionApi.settings().catch(() => ({ refreshSeconds: 5 }));
      const me = await sessionApi.me();
      // The language kept on the user wins over this browser's: it follows them to any browser.
      if (me.user.locale) setLangRef.current(me.user.locale, me.user.username);
      const [agencies, settings] = await Promise.all([agenciesLoad, settingsLoad]);
      setState({ kind: 'ready', me, agencies, refreshSeconds: settings.refreshSeconds });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ kind: 'anonymous', expired: false });
      else setState({ kind: 'anonymous', expired: false });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      onUnauthorized(() => {
        setState((s) => (s.kind === 'ready' ? { kind: 'anonymous', expired: true } : s));
      }),
    [],
  );

  const session = useMemo<Session | undefined>(() => {
    if (state.kind !== 'ready') return undefined;
    const permissions = new Set(state.me.permissions);
    const visible = state.agencies.some((a) => a.id === agency) ? agency : '';
    return {
      me: state.me,
      agencies: state.agencies,
      agency: visible,
      setAgency(id: string) {
        sessionStorage.setItem(AGENCY_KEY, id);
        setAgencyState(id);
      },
      refreshSeconds: state.refreshSeconds,
      can: (p: string) => permissions.has(p),
      logout() {
        void sessionApi
          .logout()
          .catch(() => undefined)
          .finally(() => {
            setState({ kind: 'anonymous', expired: false });
            navigate('/', { replace: true });
          });
      },
    };
  }, [state, agency]);

  if (state.kind === 'loading') return <div className="splash">{t('common.loading')}</div>;
  if (state.kind === 'anonymous' || !session) {
    return <LoginView expired={state.kind === 'anonymous' && state.expired} onLoggedIn={() => void load()} />;
  }
  const route = routeFor(location.path, session);
  if (route.redirect) {
    navigate(route.redirect, { replace: true });
    return null;
  }
  return (
    <SessionContext.Provider value={session}>
      {location.path === '/wall' ? (
        <ViewSuspense>
          <WallView />
        </ViewSuspense>
      ) : <Layout active={route.menuId}>{route.element}</Layout>}
    </SessionContext.Provider>
  );
}
