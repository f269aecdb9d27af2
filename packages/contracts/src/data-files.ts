/** The file names of one generated data set; the folder is `<dataDir>/<scale>-seed<seed>/`. */
export const dataFiles = {
  users: 'users.csv',
  viewingSessions: 'viewing_sessions.csv',
  content: 'content.json',
  manifest: 'manifest.json',
  defects: 'defects.jsonl',
} as const;

/** Folder name of a data set, so every step finds the same files for a scale and seed. */
export function dataSetFolderName(scale: string, seed: number): string {
  return `${scale}-seed${seed}`;
}
