import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { Link } from '../router';

export function NotFoundView(props: { forbidden?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="state empty">
      <h2>{props.forbidden ? t('common.forbidden') : t('common.pageNotFound')}</h2>
      <Link to="/">{t('common.home')}</Link>
    </div>
  );
}
