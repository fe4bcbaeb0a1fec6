/**
 * Rule titles in the reader's language: socnoc's own rules carry a Vietnamese title
 * (`x_socnoc_title_vi`, served by GET /api/v1/console/rule-titles, read once per page load and
 * only in Vietnamese); other rules keep the title their author wrote, marked as authored text.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { incidentTitleOf } from '../lib/incident-title';

let titles: ReadonlyMap<string, string> | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function loadTitles(): void {
  if (loading !== undefined) return;
  loading = api
    .get<{ titles: Record<string, string> }>('/console/rule-titles')
    .then((r) => {
      titles = new Map(Object.entries(r.titles));
    })
    .catch(() => {
      // An older server without the route: titles stay as written.
      titles = new Map();
    })
    .finally(() => {
      for (const l of listeners) l();
    });
}

export type RuleTitleOf = (id: string | undefined, name: string) => string;

/** A function giving a rule's title in the reader's language (by rule id, else by its written title). */
export function useRuleTitleOf(): RuleTitleOf {
  const { lang } = useI18n();
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (lang !== 'vi') return undefined;
    const changed = (): void => setVersion((v) => v + 1);
    listeners.add(changed);
    loadTitles();
    return () => {
      listeners.delete(changed);
    };
  }, [lang]);
  return (id, name) => {
    if (lang !== 'vi' || titles === undefined) return name;
    return (id !== undefined ? titles.get(id) : undefined) ?? titles.get(name) ?? name;
  };
}

/** An incident title as text, translated where its rule title is known (else marked authored). */
export function IncidentTitle(props: { title: string; titleOf: RuleTitleOf }): ReactNode {
  const shown = incidentTitleOf(props.title, props.titleOf);
  return (
    <span title={shown === props.title ? undefined : props.title} data-user-content={shown === props.title ? '' : undefined}>
      {shown}
    </span>
  );
}

/** A rule title as text: translated, or as written (then marked authored, with the written title on hover either way). */
export function RuleTitle(props: { id: string | undefined; name: string; titleOf: RuleTitleOf; className?: string }): ReactNode {
  const shown = props.titleOf(props.id, props.name);
  return (
    <span className={props.className} title={props.name} data-user-content={shown === props.name ? '' : undefined}>
      {shown}
    </span>
  );
}
