import { CstParser } from 'chevrotain';
import { expectedWords } from '../src/parse/expected-words.js';
import * as t from './tokens.js';

/**
 * The grammar of `.nn` files as a chevrotain CstParser. It only builds a CST; the AST is
 * built by src/parse/build-ast.ts. Labels name the children the builder reads, and the
 * lists `(x (',' x)* ','?)?` accept a trailing comma. Recovery is on, so one run reports
 * several syntax errors: chevrotain re-syncs inside `MANY` and between rules, leaving
 * partial nodes marked `recoveredNode`.
 */
export class NnParser extends CstParser {
  constructor() {
    super(t.allTokens, { recoveryEnabled: true, errorMessageProvider: expectedWords });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.model, { LABEL: 'declarations' }) },
        { ALT: () => this.SUBRULE(this.block, { LABEL: 'declarations' }) },
      ]);
    });
  });

  model = this.RULE('model', () => {
    this.CONSUME(t.Model, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.body);
  });

  block = this.RULE('block', () => {
    this.CONSUME(t.Block, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.CONSUME(t.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param, { LABEL: 'params' });
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.param, { LABEL: 'params' });
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RParen);
    this.SUBRULE(this.body);
  });

  param = this.RULE('param', () => {
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, { LABEL: 'default' });
    });
  });

  body = this.RULE('body', () => {
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.statement, { LABEL: 'statements' }));
    this.CONSUME(t.RBrace);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStatement) },
      { ALT: () => this.SUBRULE(this.outputStatement) },
      { ALT: () => this.SUBRULE(this.layerStatement) },
      { ALT: () => this.SUBRULE(this.trainStatement) },
      { ALT: () => this.SUBRULE(this.assignStatement) },
    ]);
  });

  inputStatement = this.RULE('inputStatement', () => {
    this.CONSUME(t.Input, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.SUBRULE(this.shape);
    });
  });

  outputStatement = this.RULE('outputStatement', () => {
    this.CONSUME(t.Output, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expr, { LABEL: 'value' });
    });
  });

  layerStatement = this.RULE('layerStatement', () => {
    this.CONSUME(t.Layer, { LABEL: 'keyword' });
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  trainStatement = this.RULE('trainStatement', () => {
    this.CONSUME(t.Train, { LABEL: 'keyword' });
    this.CONSUME(t.LBrace);
    this.MANY(() => this.SUBRULE(this.setting, { LABEL: 'settings' }));
    this.CONSUME(t.RBrace);
  });

  setting = this.RULE('setting', () => {
    this.CONSUME(t.Identifier, { LABEL: 'key' });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  assignStatement = this.RULE('assignStatement', () => {
    this.CONSUME(t.Identifier, { LABEL: 'name' });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  shape = this.RULE('shape', () => {
    this.OPTION(() => this.CONSUME(t.Identifier, { LABEL: 'dtype' }));
    this.CONSUME(t.LBracket);
    this.OPTION2(() => {
      this.SUBRULE(this.dim, { LABEL: 'dims' });
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.dim, { LABEL: 'dims' });
      });
      this.OPTION3(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBracket);
  });

  dim = this.RULE('dim', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral, { LABEL: 'number' }) },
      { ALT: () => this.CONSUME(t.Question, { LABEL: 'unknown' }) },
      { ALT: () => this.CONSUME(t.Identifier, { LABEL: 'name' }) },
    ]);
  });

  /** A pipeline; a single term stays that term. */
  expr = this.RULE('expr', () => {
    this.SUBRULE(this.term, { LABEL: 'terms' });
    this.MANY(() => {
      this.CONSUME(t.Arrow);
      this.SUBRULE2(this.term, { LABEL: 'terms' });
    });
  });

  term = this.RULE('term', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.CONSUME(t.NumberLiteral, { LABEL: 'number' }) },
      { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'string' }) },
      { ALT: () => this.CONSUME(t.True, { LABEL: 'boolean' }) },
      { ALT: () => this.CONSUME(t.False, { LABEL: 'boolean' }) },
      { ALT: () => this.CONSUME(t.Question, { LABEL: 'unknown' }) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.dict) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
    ]);
  });

  /** `name` or `name(args)`. */
  call = this.RULE('call', () => {
    this.CONSUME(t.Identifier, { LABEL: 'callee' });
    this.OPTION(() => {
      this.CONSUME(t.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.arg, { LABEL: 'args' });
        this.MANY(() => {
          this.CONSUME(t.Comma);
          this.SUBRULE2(this.arg, { LABEL: 'args' });
        });
        this.OPTION3(() => this.CONSUME2(t.Comma));
      });
      this.CONSUME(t.RParen);
    });
  });

  /** `value` or `name=value`; the builder checks that `name` is a bare identifier. */
  arg = this.RULE('arg', () => {
    this.SUBRULE(this.expr, { LABEL: 'value' });
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE2(this.expr, { LABEL: 'keywordValue' });
    });
  });

  list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expr, { LABEL: 'items' });
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBracket);
  });

  dict = this.RULE('dict', () => {
    this.CONSUME(t.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.entry, { LABEL: 'entries' });
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.entry, { LABEL: 'entries' });
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBrace);
  });

  entry = this.RULE('entry', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Identifier, { LABEL: 'key' }) },
      { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'key' }) },
    ]);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  /** `(x)` groups; `(x, y)` and `(x,)` are tuples: the commas tell them apart. */
  parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(t.LParen);
    this.SUBRULE(this.expr, { LABEL: 'items' });
    this.MANY(() => {
      this.CONSUME(t.Comma, { LABEL: 'commas' });
      this.SUBRULE2(this.expr, { LABEL: 'items' });
    });
    this.OPTION(() => this.CONSUME2(t.Comma, { LABEL: 'commas' }));
    this.CONSUME(t.RParen);
  });
}

/**
 * The one parser instance. Building it runs chevrotain's grammar analysis, so it is done
 * once; parse() sets `input` (which resets the parser) and reads `errors` in the same
 * synchronous call, so sharing it between compilations is safe.
 */
export const parser = new NnParser();
