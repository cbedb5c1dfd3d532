/**
 * A string over a fixed alphabet: the values of `fc.string({ unit: fc.constantFrom(...alphabet),
 * minLength, maxLength })`, generated in one pass instead of one fast-check value per character.
 *
 * Names are most of what a generated body is made of, and fast-check builds a Value (with its
 * shrinking context) for every character of `fc.string`; here a name is one draw of its length
 * and one integer per character. Shrinking is fast-check's own: the equivalent `fc.string`
 * shrinks the value without context (it splits a string back into its characters), so a failing
 * case shrinks exactly as it would have.
 *
 * Lengths follow fast-check's rules for arrays: at most `2 × minLength + 10` at the default size
 * (or `maxLength` if smaller), and under bias (1 draw in `biasFactor`) a short length, at most
 * `minLength + log2(range)`.
 */
import fc from 'fast-check';

export interface AlphabetStringConstraints {
  minLength?: number;
  maxLength: number;
}

class AlphabetStringArbitrary extends fc.Arbitrary<string> {
  private readonly characters: readonly string[];
  private readonly minLength: number;
  private readonly maxGeneratedLength: number;
  private readonly biasedMaxLength: number;
  private readonly reference: fc.Arbitrary<string>;

  constructor(alphabet: string, constraints: AlphabetStringConstraints) {
    super();
    this.characters = [...new Set(alphabet)];
    if (this.characters.length === 0) throw new Error('alphabetString needs at least one character');
    this.minLength = constraints.minLength ?? 0;
    if (constraints.maxLength < this.minLength) throw new Error('alphabetString: maxLength below minLength');
    this.maxGeneratedLength = Math.min(2 * this.minLength + 10, constraints.maxLength);
    const spread = this.maxGeneratedLength - this.minLength;
    this.biasedMaxLength = spread === 0 ? this.minLength : this.minLength + Math.floor(Math.log(spread) / Math.log(2));
    this.reference = fc.string({ unit: fc.constantFrom(...this.characters), minLength: this.minLength, maxLength: constraints.maxLength });
  }

  generate(random: fc.Random, biasFactor: number | undefined): fc.Value<string> {
    const biased = biasFactor !== undefined && this.minLength !== this.maxGeneratedLength && random.nextInt(1, biasFactor) === 1;
    const length = random.nextInt(this.minLength, biased ? this.biasedMaxLength : this.maxGeneratedLength);
    const last = this.characters.length - 1;
    let text = '';
    for (let index = 0; index < length; index += 1) text += this.characters[random.nextInt(0, last)];
    return new fc.Value(text, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is string {
    return this.reference.canShrinkWithoutContext(value);
  }

  shrink(value: string, _context: unknown): fc.Stream<fc.Value<string>> {
    return this.reference.shrink(value, undefined);
  }
}

export function alphabetString(alphabet: string, constraints: AlphabetStringConstraints): fc.Arbitrary<string> {
  return new AlphabetStringArbitrary(alphabet, constraints);
}
