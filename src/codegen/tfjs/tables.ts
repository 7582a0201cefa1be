/**
 * The tables of a generated module (its graph's rows, one per layer) bypass prettier: it would
 * spend most of a large model's compile time on them, and lay them out no better. The code
 * around them is formatted with a placeholder in each table's place, then the tables are put
 * in, one row per line, under `// prettier-ignore`, so that the module stays as prettier leaves it.
 */

/** The placeholder expression of table `index`, in `const NAME = <placeholder>;`. */
export function tablePlaceholder(index: number): string {
  return `__nncTable${index}__`;
}

/** The formatted code with each `const NAME = <placeholder>;` set to its table, rows indented one level deeper. */
export function spliceTables(formatted: string, tables: readonly (readonly string[])[]): string {
  let code = formatted;
  tables.forEach((rows, index) => {
    const marker = ` = ${tablePlaceholder(index)};\n`;
    const at = code.indexOf(marker);
    const lineStart = code.lastIndexOf('\n', at) + 1;
    const indent = /^ */.exec(code.slice(lineStart, at))![0];
    if (at < 0 || !code.startsWith(`${indent}const `, lineStart)) throw new Error(`internal: no place for table ${index} in the formatted module`);
    const table = rows.length === 0 ? '[]' : `[\n${rows.map((row) => `${indent}  ${row}\n`).join('')}${indent}]`;
    code = `${code.slice(0, at)} = ${table};\n${code.slice(at + marker.length)}`;
  });
  return code;
}
