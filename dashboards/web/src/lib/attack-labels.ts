/** A tactic's translated name, or the raw tag text for a slug the catalogue does not know. */
import type { I18n } from '../i18n';
import { TACTICS, type TacticSlug } from './attack';

const SLUGS = new Set<string>(TACTICS.map((x) => x.slug));

export function tacticLabel(t: I18n['t'], tactic: string): string {
  const slug = tactic.replace(/_/g, '-');
  return SLUGS.has(slug) ? t(`tactic.${slug as TacticSlug}`) : tactic;
}
