const special: Readonly<Record<string, string>> = {
  ı: 'i',
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  đ: 'd',
};
// Names come from small datasets, so the cache stays small; NFD normalisation is the costly part.
const slugs = new Map<string, string>();

/** Lower-case ASCII letters and digits of a name, for e-mail local parts (`Müller` → `muller`). */
export function asciiSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text
      .toLowerCase()
      .replace(/[ıłßøæđ]/g, (char) => special[char] ?? '')
      .normalize('NFD')
      .replace(/[^a-z0-9]/g, '');
    if (slugs.size < 10_000) slugs.set(text, slug);
  }
  return slug;
}
