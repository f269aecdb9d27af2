import { parseString } from 'fast-csv';

/**
 * The column names of a header line as a CSV parser reads them: the slow, forgiving path used
 * only to explain a header that does not match the contract.
 */
export async function describeHeader(line: string): Promise<string[]> {
  return new Promise((resolve) => {
    let names: string[] = [];
    parseString<string[], string[]>(line, { headers: false, ignoreEmpty: false })
      .on('data', (row: string[]) => {
        if (names.length === 0) names = row;
      })
      .on('error', () => {
        resolve(line.split(','));
      })
      .on('end', () => {
        resolve(names);
      });
  });
}
