/** Text shown to users, in every supported language (zh-CN is the default). */
export const locales = ['zh-CN', 'en'] as const;
/** A supported UI language. */
export type Locale = (typeof locales)[number];
/** A message in each supported language. */
export type LocalizedText = Record<Locale, string>;

/** Parses a locale name loosely ("zh", "zh_CN", "en-US"), falling back to zh-CN. */
export function parseLocale(value: string | undefined): Locale {
  if (!value) return 'zh-CN';
  return value.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** True for a value holding one text per locale. */
export function isLocalizedText(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && 'zh-CN' in value && 'en' in value;
}

/** Fills {name} placeholders of both languages from params; a LocalizedText param fills each language. */
export function format(template: LocalizedText, params: Record<string, unknown> = {}): LocalizedText {
  const fill = (locale: Locale) =>
    template[locale].replace(/\{(\w+)\}/g, (m, k: string) => {
      if (!(k in params)) return m;
      const v = params[k];
      return isLocalizedText(v) ? v[locale] : String(v);
    });
  return { 'zh-CN': fill('zh-CN'), en: fill('en') };
}
