/**
 * Byte offset of the first invalid UTF-8 sequence in a decoded text, or -1: the decoder turned it
 * into U+FFFD and everything before it is valid, so its UTF-8 length is the original offset.
 */
export function invalidUtf8Offset(text: string): number {
  const at = text.indexOf('\uFFFD');
  return at === -1 ? -1 : Buffer.byteLength(text.slice(0, at), 'utf8');
}
