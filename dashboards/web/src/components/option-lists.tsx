/** <option> lists repeated across forms: the agencies the user may see, the roles. */
import type { ReactNode } from 'react';
import { ROLES } from '../api/types';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export function AgencyOptions(): ReactNode {
  const session = useSession();
  return session.agencies.map((a) => (
    <option key={a.id} value={a.id}>
      {a.name}
    </option>
  ));
}

export function RoleOptions(): ReactNode {
  const { t } = useI18n();
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}`)}
    </option>
  ));
}
