/** The login page; also shown when the session expired (with a notice). */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { sessionApi } from '../api/session';
import { LANGS, useI18n } from '../i18n';
import { errorText } from '../lib/error-text';

export function LoginView(props: { expired: boolean; onLoggedIn(): void }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await sessionApi.login(username, password);
      props.onLoggedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('login.invalid'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.throttled'));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)}>
        <div className="brand login-brand">
          <span className="brand-mark">◆</span> socnoc
        </div>
        <p className="login-tagline">{t('login.tagline')}</p>
        {props.expired && <div className="notice">{t('login.expired')}</div>}
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error !== undefined && (
          <div className="state error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="btn primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <div className="lang-switch login-lang">
          {LANGS.map((l) => (
            <button key={l} type="button" className={i18n.lang === l ? 'on' : ''} onClick={() => i18n.setLang(l)} data-lang={l}>
              {l === 'vi' ? 'Tiếng Việt' : 'English'}
            </button>
          ))}
        </div>
      </form>
    </div>
  );
}
