/**
 * Language, message lookup and locale formatting. Every visible string goes through `t(key)`;
 * dates and numbers through Intl with vi-VN or en-GB. The choice is kept in localStorage per
 * browser and per user (`socnoc.lang.<username>`), falling back to the browser's language.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { vi } from './vi';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { vi, en };
const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
const STORAGE_KEY = 'socnoc.lang';

export type Vars = Record<string, string | number>;

/** `{name}` placeholders filled from vars. */
export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return interpolate(CATALOGUES[lang][key] ?? en[key] ?? key, vars);
}

export function initialLang(username?: string): Lang {
  try {
    const stored = (username && localStorage.getItem(`${STORAGE_KEY}.${username}`)) || localStorage.getItem(STORAGE_KEY);
    if (stored === 'vi' || stored === 'en') return stored;
  } catch {
    // storage disabled
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('en') ? 'en' : 'vi';
}

export interface I18n {
  lang: Lang;
  locale: string;
  setLang(lang: Lang, username?: string): void;
  t(key: MessageKey, vars?: Vars): string;
  date(value: string | number | Date | null | undefined, style?: 'short' | 'medium' | 'time'): string;
  number(value: number | null | undefined, digits?: number): string;
  bytes(value: number | null | undefined): string;
  bits(value: number | null | undefined): string;
  relative(value: string | number | null | undefined, now?: number): string;
}

export function makeI18n(lang: Lang, setLangState: (l: Lang) => void): I18n {
  const locale = LOCALES[lang];
  const dateShort = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const dateMedium = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const timeOnly = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number): Intl.NumberFormat => {
    let f = numberFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
      numberFormats.set(digits, f);
    }
    return f;
  };
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const scaled = (value: number | null | undefined, units: readonly string[], base: number): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return '–';
    let v = value;
    let i = 0;
    while (Math.abs(v) >= base && i < units.length - 1) {
      v /= base;
      i++;
    }
    return `${numberFormat(v < 10 && i > 0 ? 2 : 1).format(v)} ${units[i]}`;
  };
  return {
    lang,
    locale,
    setLang(next, username) {
      try {
        localStorage.setItem(STORAGE_KEY, next);
        if (username) localStorage.setItem(`${STORAGE_KEY}.${username}`, next);
      } catch {
        // storage disabled: the choice lasts for this page
      }
      document.documentElement.lang = next;
      setLangState(next);
    },
    t: (key, vars) => translate(lang, key, vars),
    date(value, style = 'short') {
      if (value === null || value === undefined || value === '') return '–';
      const d = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(d.getTime())) return String(value);
      return (style === 'time' ? timeOnly : style === 'medium' ? dateMedium : dateShort).format(d);
    },
    number: (value, digits = 0) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : numberFormat(digits).format(value)),
    bytes: (value) => scaled(value, ['B', 'KB', 'MB', 'GB', 'TB', 'PB'], 1000),
    bits: (value) => scaled(value, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'], 1000),
    relative(value, now = Date.now()) {
      if (value === null || value === undefined) return '–';
      const ms = (typeof value === 'number' ? value : Date.parse(value)) - now;
      const abs = Math.abs(ms);
      if (abs < 60_000) return rtf.format(Math.round(ms / 1000), 'second');
      if (abs < 3_600_000) return rtf.format(Math.round(ms / 60_000), 'minute');
      if (abs < 86_400_000) return rtf.format(Math.round(ms / 3_600_000), 'hour');
      return rtf.format(Math.round(ms / 86_400_000), 'day');
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n('en', () => undefined));

export function I18nProvider(props: { children: ReactNode }): ReactNode {
  const [lang, setLangState] = useState<Lang>(() => initialLang());
  const set = useCallback((l: Lang) => setLangState(l), []);
  const value = useMemo(() => makeI18n(lang, set), [lang, set]);
  document.documentElement.lang = lang;
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export type { MessageKey };
