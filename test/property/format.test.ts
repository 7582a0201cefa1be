import fc from 'fast-check';
import { test } from 'vitest';
import { lexer } from '../../grammar/tokens.js';
import { validModel } from './arbitraries/models.js';
import { expectRoundTrip } from './support/round-trip.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * Property: the formatter keeps the program and its comments. Random valid models, with
 * comments put between random tokens (a comment ends its line, so the text after it moves to
 * the next one) and at the ends of random lines, format to text that parses to the same AST,
 * checks to the same IR and diagnostics, keeps every comment in order, and formats to itself.
 */
const runs = propertyRuns(150);

/** Inserts `# note N` comments after the chosen tokens: on the same line, or on a line of their own. */
function withComments(source: string, places: ReadonlyArray<{ at: number; ownLine: boolean }>): string {
  const ends = lexer.tokenize(source).tokens.map((t) => t.startOffset + t.image.length);
  if (ends.length === 0) return source;
  const chosen = places.map((p, i) => ({ offset: ends[Math.floor(p.at * ends.length)]!, text: p.ownLine ? `\n# note ${i}\n` : `  # note ${i}\n`, i }));
  return chosen
    .sort((a, b) => b.offset - a.offset || b.i - a.i)
    .reduce((text, c) => text.slice(0, c.offset) + c.text + text.slice(c.offset), source);
}

const place = fc.record({ at: fc.double({ min: 0, max: 0.999999, noNaN: true }), ownLine: fc.boolean() });

test(
  `formatting random models with comments keeps the program and every comment, and is idempotent (${runs} random models)`,
  async () => {
    await assertProperty(
      fc.record({ model: validModel(), places: fc.array(place, { maxLength: 6 }) }),
      ({ model, places }) => {
        checkedModel(model.source);
        expectRoundTrip(withComments(model.source, places));
      },
      { name: 'format-comments', runs, describe: ({ model, places }) => `with comments:\n${withComments(model.source, places)}` },
    );
  },
  timeoutFor(runs, 30),
);
