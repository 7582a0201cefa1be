/**
 * The width of each column of a text table: its widest cell, or its title. One pass, without
 * spreading the rows into `Math.max`, which overflows the stack at some 100,000 rows (a summary
 * of 200,000 layers has a row per layer).
 */
export function columnWidths(titles: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = titles.map((title) => title.length);
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (cell.length > widths[i]!) widths[i] = cell.length;
    });
  }
  return widths;
}
