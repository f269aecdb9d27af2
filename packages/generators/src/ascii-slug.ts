const special: Readonly<Record<string, string>> = { ı: 'i', ł: 'l', ß: 'ss', ø: 'o', æ: 'ae', đ: 'd' };

/** Lower-case ASCII letters and digits of a name, for e-mail local parts (`Müller` → `muller`). */
export function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ıłßøæđ]/g, (char) => special[char] ?? '')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}
