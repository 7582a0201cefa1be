import { CstParser, type CstNode, type IOrAlt, type IToken, type ParserMethod, type TokenType } from 'chevrotain';
import { expectedWords } from '../src/parse/expected-words.js';
import * as t from './tokens.js';

/**
 * The grammar of `.nn` files as a chevrotain CstParser. It only builds a CST; the AST is
 * built by src/parse/build-ast.ts. Labels name the children the builder reads, and the
 * lists `(x (',' x)* ','?)?` accept a trailing comma. Recovery is on, so one run reports
 * several syntax errors: chevrotain re-syncs inside `MANY` and between rules, leaving
 * partial nodes marked `recoveredNode`.
 *
 * Speed: the DSL callbacks of the frequent rules (statements, terms, arguments, lists)
 * are built once per parser instead of on every call, and labels are shared constants.
 * Built per call, they were a third of all a parse allocated, and the garbage collector
 * was most of its time.
 */

/** Chevrotain only reads these option objects, so one of each serves every call. */
const label = (name: string) => Object.freeze({ LABEL: name });
const as = {
  args: label('args'),
  callee: label('callee'),
  colon: label('colon'),
  declarations: label('declarations'),
  keywordValue: label('keywordValue'),
  missingArrow: label('missingArrow'),
  missingComma: label('missingComma'),
  name: label('name'),
  number: label('number'),
  statements: label('statements'),
  terms: label('terms'),
  value: label('value'),
};

export class NnParser extends CstParser {
  /**
   * With `recovery`, three common slips are still parsed, each under a label of its own, and
   * the AST builder reports each once with what to write instead; chevrotain alone would
   * re-synchronise on a guess and report the rest of the statement as a cascade of errors
   * (and, worse, the checker would then miss what the statement defined):
   * - a list item without its `,` (`missingComma`);
   * - a setting written `key: value` (`colon`), as in a dictionary;
   * - a statement's stages without the `->` between them, `h = x dense(8)` (`missingArrow`).
   * The syntax diagrams are drawn without them, since they are not part of the language.
   */
  constructor(
    private readonly recovery = true,
    /** Chevrotain's validation of the grammar, which a test runs; the shared instance skips it (see `parser`). */
    validate = false,
  ) {
    super(t.allTokens, { recoveryEnabled: true, errorMessageProvider: expectedWords, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /**
   * The body of `item (',' item)* ','?`, items under `name` and commas under `Comma`.
   * Chevrotain tells repeated DSL calls apart by their number, so this uses numbers 7 to
   * 9, and no rule uses it twice or uses those numbers itself. `item` is a thunk because
   * the rules are fields that may not exist yet when this runs.
   */
  private commaList(item: () => ParserMethod<[], CstNode>, name: string): () => void {
    const itemLabel = label(name);
    const separated = () => {
      this.CONSUME8(t.Comma);
      this.SUBRULE8(item(), itemLabel);
    };
    const alternatives: Array<IOrAlt<unknown>> = [
      { ALT: separated },
      { ALT: () => this.SUBRULE9(item(), as.missingComma) },
    ];
    const repetition = {
      GATE: () => this.LA(1).tokenType === t.Comma || this.mayFollowMissingComma(),
      DEF: () => {
        // A plain `if`, not a GATE: it decides what chevrotain records as the grammar.
        if (!this.recovery) return separated();
        this.OR9(alternatives);
      },
    };
    const trailingComma = () => this.CONSUME9(t.Comma);
    return () => {
      this.SUBRULE7(item(), itemLabel);
      this.MANY9(repetition);
      this.OPTION9(trailingComma);
    };
  }

  /**
   * Whether the next token may start an item whose `,` is missing. What looks like the
   * next statement (`name =`, a keyword) is taken to follow an unclosed list instead:
   * then chevrotain inserts the closer and the statements after it still parse.
   */
  private mayFollowMissingComma(): boolean {
    const next = this.LA(1).tokenType;
    if (statementKeywords.has(next)) return false;
    return !(next === t.Identifier && this.LA(2).tokenType === t.Equals);
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.model, as.declarations) },
        { ALT: () => this.SUBRULE(this.block, as.declarations) },
      ]);
    });
  });

  model = this.RULE('model', () => {
    this.CONSUME(t.Model, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, as.name);
    this.SUBRULE(this.body);
  });

  private readonly paramList = this.commaList(() => this.param, 'params');

  block = this.RULE('block', () => {
    this.CONSUME(t.Block, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, as.name);
    this.CONSUME(t.LParen);
    this.OPTION(this.paramList);
    this.CONSUME(t.RParen);
    this.SUBRULE(this.body);
  });

  param = this.RULE('param', () => {
    this.CONSUME(t.Identifier, as.name);
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, { LABEL: 'default' });
    });
  });

  /** The statements share one label to keep their order; no `statement` rule saves a node each. */
  body = this.RULE('body', () => {
    this.CONSUME(t.LBrace);
    this.MANY(this.statement);
    this.CONSUME(t.RBrace);
  });

  private readonly statementAlternatives: Array<IOrAlt<unknown>> = [
    { ALT: () => this.SUBRULE(this.inputStatement, as.statements) },
    { ALT: () => this.SUBRULE(this.outputStatement, as.statements) },
    { ALT: () => this.SUBRULE(this.layerStatement, as.statements) },
    { ALT: () => this.SUBRULE(this.trainStatement, as.statements) },
    { ALT: () => this.SUBRULE(this.assignStatement, as.statements) },
  ];

  private readonly statement = () => this.OR(this.statementAlternatives);

  inputStatement = this.RULE('inputStatement', () => {
    this.CONSUME(t.Input, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, as.name);
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.SUBRULE(this.shape);
    });
  });

  outputStatement = this.RULE('outputStatement', () => {
    this.CONSUME(t.Output, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, as.name);
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, as.value);
      this.missingArrows();
    });
  });

  layerStatement = this.RULE('layerStatement', () => {
    this.CONSUME(t.Layer, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, as.name);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, as.value);
    this.missingArrows();
  });

  trainStatement = this.RULE('trainStatement', () => {
    this.CONSUME(t.Train, { LABEL: 'keyword' });
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.setting, { LABEL: 'settings' }));
    this.CONSUME(t.RBrace);
  });

  private readonly settingColon = {
    GATE: () => this.LA(1).tokenType === t.Colon,
    DEF: () => this.CONSUME(t.Colon, as.colon),
  };

  /**
   * `key: value` takes the `:`, then chevrotain inserts the missing `=` (parse() drops its
   * error, the builder reports E1020 instead). An `OR` of `=` and `:` would also parse it, but
   * would lose that insertion where neither is written (`epochs 10`).
   */
  setting = this.RULE('setting', () => {
    this.CONSUME(t.Identifier, { LABEL: 'key' });
    // A plain `if`, not a GATE: it decides what chevrotain records as the grammar.
    if (this.recovery) this.OPTION(this.settingColon);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, as.value);
  });

  assignStatement = this.RULE('assignStatement', () => {
    this.CONSUME(t.Identifier, as.name);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, as.value);
    this.missingArrows();
  });

  /**
   * After a statement's value, a name on the same line that does not start a statement
   * (`dense` in `h = x dense(8)`: not `name =`, not a keyword) is taken as a stage whose `->`
   * is missing. Only at statement level: inside brackets a missing `,` is the likelier slip.
   * On a line of its own, `h -> dense(1)` is more likely a statement missing its `name =`.
   */
  private readonly missingArrowStage = {
    GATE: () => {
      const after = this.LA(2).tokenType;
      return this.LA(1).tokenType === t.Identifier && after !== t.Equals && after !== t.Colon && this.onSameLine(this.LA(0), this.LA(1));
    },
    DEF: () => this.SUBRULE5(this.expr, as.missingArrow),
  };

  /**
   * The text being parsed, for the one question tokens cannot answer (whether a line break
   * separates two of them); parse() sets it with `input` and clears it after.
   */
  source = '';

  private onSameLine(previous: IToken, next: IToken): boolean {
    const end = next.startOffset;
    for (let i = previous.endOffset ?? previous.startOffset; i < end; i++) {
      const c = this.source.charCodeAt(i);
      if (c === 10 || c === 13) return false;
    }
    return true;
  }

  private readonly missingArrows = () => {
    if (this.recovery) this.MANY5(this.missingArrowStage);
  };

  private readonly dimList = this.commaList(() => this.dim, 'dims');

  shape = this.RULE('shape', () => {
    this.OPTION(() => this.CONSUME(t.Identifier, { LABEL: 'dtype' }));
    this.CONSUME(t.LBracket);
    this.OPTION2(this.dimList);
    this.CONSUME(t.RBracket);
  });

  dim = this.RULE('dim', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral, as.number) },
      { ALT: () => this.CONSUME(t.Question, { LABEL: 'unknown' }) },
      { ALT: () => this.CONSUME(t.Identifier, as.name) },
    ]);
  });

  /** `term ('->' term)*`: the body of `expr`, and spelled out again at the start of `arg`. */
  private readonly pipeline = () => {
    this.SUBRULE(this.term, as.terms);
    this.MANY(this.nextStage);
  };

  private readonly nextStage = () => {
    this.CONSUME(t.Arrow);
    this.SUBRULE2(this.term, as.terms);
  };

  /** A pipeline; a single term stays that term. */
  expr = this.RULE('expr', this.pipeline);

  /** `name` and `name(args)` are inline rather than a `call` rule: terms are the most frequent node. */
  term = this.RULE('term', () => this.OR(this.termAlternatives));

  private readonly argList = this.commaList(() => this.arg, 'args');

  private readonly callArguments = () => {
    this.CONSUME(t.LParen);
    this.OPTION2(this.argList);
    this.CONSUME(t.RParen);
  };

  private readonly termAlternatives: Array<IOrAlt<unknown>> = [
    {
      ALT: () => {
        this.CONSUME(t.Identifier, as.callee);
        this.OPTION(this.callArguments);
      },
    },
    { ALT: () => this.CONSUME(t.NumberLiteral, as.number) },
    { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'string' }) },
    { ALT: () => this.CONSUME(t.True, { LABEL: 'boolean' }) },
    { ALT: () => this.CONSUME(t.False, { LABEL: 'boolean' }) },
    { ALT: () => this.CONSUME(t.Question, { LABEL: 'unknown' }) },
    { ALT: () => this.SUBRULE(this.list) },
    { ALT: () => this.SUBRULE(this.dict) },
    { ALT: () => this.SUBRULE(this.parenthesized) },
  ];

  private readonly keywordValue = () => {
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, as.keywordValue);
  };

  /**
   * `value` or `name=value`. The expression before `=` is spelled out (`pipeline`) rather
   * than an `expr` node: one node less per argument. The builder checks that a `name` is a
   * bare identifier.
   */
  arg = this.RULE('arg', () => {
    this.pipeline();
    this.OPTION(this.keywordValue);
  });

  private readonly itemList = this.commaList(() => this.expr, 'items');

  list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(this.itemList);
    this.CONSUME(t.RBracket);
  });

  private readonly entryList = this.commaList(() => this.entry, 'entries');

  dict = this.RULE('dict', () => {
    this.CONSUME(t.LBrace);
    this.OPTION(this.entryList);
    this.CONSUME(t.RBrace);
  });

  entry = this.RULE('entry', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Identifier, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'key' }) },
    ]);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.expr, as.value);
  });

  /** `(x)` groups; `(x, y)` and `(x,)` are tuples: the commas tell them apart. */
  parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(t.LParen);
    this.itemList();
    this.CONSUME(t.RParen);
  });
}

const statementKeywords = new Set<TokenType>([t.Model, t.Block, t.Input, t.Output, t.Layer, t.Train]);

/**
 * The one parser instance. Building it runs chevrotain's grammar analysis, so it is done
 * once; parse() sets `input` (which resets the parser) and reads `errors` in the same
 * synchronous call, so sharing it between compilations is safe. It skips the grammar's
 * validation, most of a small `nnc check`'s start-up: the grammar is fixed, and
 * test/parse/parse.test.ts builds it with validation.
 */
export const parser = new NnParser();
