import { describe, expect, test } from 'vitest';
import { closeNames, didYouMean, editDistance } from '../../src/diagnostics/suggest.js';

describe('editDistance (restricted Damerau-Levenshtein)', () => {
  test('a swap of two adjacent letters is one edit', () => {
    expect(editDistance('rleu', 'relu')).toBe(1);
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  test('insertions, deletions and substitutions cost one each', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('hiden', 'hidden')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('restricted: a substring is edited at most once (ca -> abc is 3, not 2)', () => {
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  test('symmetric on random words', () => {
    const words = ['relu', 'rleu', 'image', 'imgae', 'dense', 'desne', 'sigmoid', 'softmax', 'a', ''];
    for (const a of words) for (const b of words) expect(editDistance(a, b)).toBe(editDistance(b, a));
  });
});

describe('did you mean', () => {
  test('transposed letters get a suggestion', () => {
    expect(didYouMean('rleu', ['relu', 'tanh', 'sigmoid'])).toBe('did you mean `relu`?');
    expect(didYouMean('imgae', ['image', 'label'])).toBe('did you mean `image`?');
    expect(closeNames('epcohs', ['epochs', 'seed', 'shuffle'])).toEqual(['epochs']);
  });

  test('nothing close, nothing suggested', () => {
    expect(didYouMean('xyz', ['relu', 'tanh'])).toBeUndefined();
    expect(didYouMean('b', ['a'])).toBeUndefined();
  });
});
