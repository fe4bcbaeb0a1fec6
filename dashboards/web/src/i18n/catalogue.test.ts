import { en } from './en';
import { vi } from './vi';

/** Placeholders such as {name} a message expects to be filled. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('message catalogues', () => {
  it('hold exactly the same keys in Vietnamese and English', () => {
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty values', () => {
    for (const [lang, catalogue] of Object.entries({ en, vi })) {
      for (const [key, value] of Object.entries(catalogue)) {
        if (value.trim() === '') throw new Error(`${lang}: message "${key}" is empty`);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect({ key, placeholders: placeholders(vi[key]) }).toEqual({ key, placeholders: placeholders(en[key]) });
    }
  });

  it('write Vietnamese with its diacritics, not in unaccented ASCII', () => {
    expect(vi['menu.alerts']).toBe('Cảnh báo');
    expect(vi['menu.incidents']).toBe('Sự cố');
    expect(vi['menu.devices']).toBe('Thiết bị');
    expect(vi['menu.events']).toBe('Tìm kiếm sự kiện');
    expect(vi['login.submit']).toBe('Đăng nhập');
    expect(vi['alerts.severity']).toBe('Mức độ nghiêm trọng');
    // Sentences a user reads must not be left in English: most Vietnamese messages carry a
    // letter outside ASCII (a few, like "Byte" or "ATT&CK" ids, legitimately do not).
    const words = Object.entries(vi).filter(([, v]) => /[a-z]{3,}/i.test(v));
    const accented = words.filter(([, v]) => [...v].some((ch) => ch.charCodeAt(0) > 127));
    expect(accented.length / words.length).toBeGreaterThan(0.95);
    const untranslated = Object.keys(en).filter((k) => en[k as keyof typeof en] === vi[k as keyof typeof en] && /[a-z]{4,} [a-z]{4,}/i.test(en[k as keyof typeof en]));
    expect(untranslated).toEqual([]);
  });
});
