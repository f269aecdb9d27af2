/** Copies a line out of its read chunk, so a kept reject does not pin a megabyte of input. */
export function detachText(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
