/** `2024-05-01T20:15:00.5Z` → `2024-05-01T20:15:00.500000`: text that sorts like the instant it names. */
export function comparableTimestamp(text: string): string {
  const dot = text.indexOf('.', 19);
  const fraction = dot === -1 ? '' : text.slice(dot + 1, -1);
  return `${text.slice(0, 19)}.${fraction.padEnd(6, '0')}`;
}
