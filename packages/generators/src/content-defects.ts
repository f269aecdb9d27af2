import { badCasing, badCountryCode, badDate } from './bad-values.ts';
import type { DefectClass, InjectedDefect } from './defect-gates.ts';
import type { Random } from './random.ts';

/** The classes a `content.json` document can carry. */
export const contentDefectClasses: readonly DefectClass[] = [
  'malformed_json',
  'empty_required',
  'out_of_range',
  'bad_date_format',
  'bad_casing',
  'bad_country_code',
  'wrong_type',
  'exact_duplicate',
  'conflicting_duplicate',
];

type Document = Record<string, unknown> & { _id: string; type: string };

function asDocument(text: string): Document {
  return JSON.parse(text) as Document;
}

function changed(
  document: Document,
  options: { readonly defect: DefectClass; readonly field: string },
): InjectedDefect {
  return {
    text: JSON.stringify(document),
    defect: options.defect,
    key: document._id,
    field: options.field,
  };
}

/** Applies one defect class to a clean document (its line without the trailing comma); null when it does not fit. */
export function corruptDocument(options: {
  readonly random: Random;
  readonly defect: DefectClass;
  readonly text: string;
  readonly previousKept: string | null;
}): InjectedDefect | null {
  const { random, defect, text } = options;
  const document = asDocument(text);
  const previous =
    options.previousKept?.startsWith('{') === true ? options.previousKept.replace(/,$/, '') : null;
  switch (defect) {
    case 'malformed_json':
      return {
        text: random.pick([text.slice(0, -1), `${text}}`, text.replace('":', '" ')]),
        defect,
        key: null,
        field: null,
      };
    case 'empty_required':
      document['title'] = '';
      return changed(document, { defect, field: 'title' });
    case 'out_of_range':
      if (document.type === 'movie' && random.chance(0.5)) {
        document['runtime_min'] = random.pick([0, 999]);
        return changed(document, { defect, field: 'runtime_min' });
      }
      (document['ratings'] as { internal: { avg: number } }).internal.avg = random.pick([7.5, -1]);
      return changed(document, { defect, field: 'ratings.internal.avg' });
    case 'bad_date_format':
      document['release_date'] = badDate(String(document['release_date']));
      return changed(document, { defect, field: 'release_date' });
    case 'bad_casing':
      document['maturity_rating'] = badCasing(String(document['maturity_rating']));
      return changed(document, { defect, field: 'maturity_rating' });
    case 'bad_country_code': {
      const countries = document['production_countries'] as string[];
      countries[0] = badCountryCode(countries[0] ?? 'US');
      return changed(document, { defect, field: 'production_countries' });
    }
    case 'wrong_type':
      if (document.type === 'movie' && random.chance(0.5)) {
        document['runtime_min'] = String(document['runtime_min']);
        return changed(document, { defect, field: 'runtime_min' });
      }
      document['is_original'] = String(document['is_original']);
      return changed(document, { defect, field: 'is_original' });
    case 'exact_duplicate':
      return previous === null
        ? null
        : { text: previous, defect, key: asDocument(previous)._id, field: '_id' };
    case 'conflicting_duplicate': {
      if (previous === null) return null;
      // The same id again with a revised title: a second, disagreeing version of one document.
      const version = asDocument(previous);
      version['title'] = `${String(version['title'])} (Director's Cut)`;
      return changed(version, { defect, field: '_id' });
    }
    case 'extra_column':
    case 'missing_column':
    case 'unbalanced_quote':
    case 'nul_byte':
    case 'bom':
    case 'crlf_mix':
    case 'end_before_start':
    case 'orphan':
      // CSV-only classes, and relations a document does not carry.
      return null;
  }
}
