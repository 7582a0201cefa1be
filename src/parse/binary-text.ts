/**
 * A file that is not UTF-8 text (an image, a compiled module, a Latin-1 file) would lex into
 * dozens of meaningless syntax errors. It shows itself by a NUL, which no text file holds, or
 * by U+FFFD, which a UTF-8 decoder (Node's `readFile(path, 'utf8')`, `TextDecoder`, a
 * browser's `file.text()`) puts where the bytes were not UTF-8.
 */
export interface NotText {
  offset: number;
  detail: string;
}

export function findNotText(source: string): NotText | undefined {
  const nul = source.indexOf('\0');
  const replaced = source.indexOf('\ufffd');
  if (nul < 0 && replaced < 0) return undefined;
  if (replaced < 0 || (nul >= 0 && nul < replaced)) {
    return { offset: nul, detail: 'it contains a NUL character, as binary files do' };
  }
  return { offset: replaced, detail: 'it contains bytes that are not UTF-8 (decoded as U+FFFD)' };
}
