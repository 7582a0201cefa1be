import type { Plugin } from 'prettier';
import type { Program } from '../parse/ast.js';
import { Reporter } from '../diagnostics/reporter.js';
import { parse } from '../parse/parse.js';
import { printProgram } from '../print/print-program.js';

/**
 * The prettier plugin for `.nn` files: `prettier --plugin nnc/prettier model.nn`, and ```nn
 * blocks in Markdown through prettier's embedded formatting. It is nnc's own parser and
 * printer (the one `nnc fmt` and the language server use) behind prettier's plugin API;
 * prettier's `printWidth` is the width pipelines and lists are broken at.
 */
interface NnRoot {
  type: 'nn-root';
  program: Program;
  text: string;
  start: number;
  end: number;
}

/** A syntax error as prettier reports it: the message and where (prettier prints `(line:column)`). */
function syntaxError(message: string, line: number, column: number): Error {
  return Object.assign(new SyntaxError(message), { loc: { start: { line, column } } });
}

export const languages: Plugin['languages'] = [
  { name: 'nn', parsers: ['nn'], extensions: ['.nn'], aliases: ['nnc'], vscodeLanguageIds: ['nn'] },
];

export const parsers: Plugin<NnRoot>['parsers'] = {
  nn: {
    astFormat: 'nn',
    parse(text: string): NnRoot {
      const reporter = new Reporter();
      const program = parse(text, reporter);
      const first = reporter.diagnostics[0];
      if (first) throw syntaxError(`${first.message} [${first.code}]`, first.span.start.line, first.span.start.column);
      return { type: 'nn-root', program, text, start: 0, end: text.length };
    },
    locStart: (node: NnRoot) => node.start,
    locEnd: (node: NnRoot) => node.end,
  },
};

export const printers: Plugin<NnRoot>['printers'] = {
  nn: {
    print(path, options) {
      const node = path.node;
      return printProgram(node.program, node.text, { width: options.printWidth });
    },
  },
};

const plugin: Plugin<NnRoot> = { languages, parsers, printers };
export default plugin;
