import type { Random } from './random.ts';

const alpha3: Readonly<Record<string, string>> = {
  US: 'USA',
  BR: 'BRA',
  GB: 'GBR',
  DE: 'DEU',
  FR: 'FRA',
  JP: 'JPN',
  MX: 'MEX',
  IN: 'IND',
  CA: 'CAN',
  AU: 'AUS',
};

/** A country code written the way careless sources do: ISO alpha-3 instead of alpha-2. */
export function badCountryCode(code: string): string {
  return alpha3[code] ?? `${code}X`;
}

/** A timestamp in one of the non-ISO shapes found in exports (`2024-05-01 20:15:00`, `05/01/2024 20:15`). */
export function badTimestamp(random: Random, iso: string): string {
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  switch (random.int(0, 2)) {
    case 0:
      return `${date} ${time}`;
    case 1:
      return `${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(0, 4)} ${time.slice(0, 5)}`;
    default:
      return `${date}T${time}+0200`;
  }
}

/** A calendar date in day/month/year order (`14/03/2021`). */
export function badDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** An enum value in the wrong case: `smart_tv` → `Smart_TV`, `hd` for `HD`, `Premium` for `premium`. */
export function badCasing(value: string): string {
  if (value === value.toUpperCase()) return value.toLowerCase();
  const parts = value.split('_');
  return parts
    .map((part, index) =>
      index === parts.length - 1 && parts.length > 1
        ? part.toUpperCase()
        : `${part.charAt(0).toUpperCase()}${part.slice(1)}`,
    )
    .join('_');
}
