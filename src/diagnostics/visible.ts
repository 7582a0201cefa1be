/**
 * Source text quoted in a message or shown in a code frame must not drive the terminal: an ESC
 * from the file would recolour it, a NUL or a carriage return would hide text. Control
 * characters become visible stand-ins of one column each, so carets under a code frame still
 * line up: U+2400's "control pictures" (␀, ␛, ␡) as rustc shows them, and `�` for C1 controls and
 * the bidirectional overrides that could reorder what is shown.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Every control character but tab and line feed, made visible (see above). */
export function visibleText(text: string): string {
  return text.replace(CONTROL, pictureOf);
}

function pictureOf(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** The same for one line of a message, where a tab or a line break would also break the layout. */
export function visibleInline(text: string): string {
  return visibleText(text).replace(/[\t\n]/g, (c) => (c === '\t' ? '\u2409' : '\u240a'));
}
