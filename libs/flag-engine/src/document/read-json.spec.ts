import { DocumentProblemCode } from '../errors';
import { ProblemList } from './problems';
import { readJson } from './read-json';

/** Over the 512 KiB decoded per step, with a two-byte character across each piece boundary. */
const largeText = (): string => JSON.stringify({ note: 'a' + 'é'.repeat(400_000) });

describe('readJson of large bytes (decoded and parsed in steps)', () => {
  it('decodes characters split across pieces', () => {
    const text = largeText();
    const problems = new ProblemList();
    expect(readJson(Buffer.from(text), problems)).toEqual(JSON.parse(text));
    expect(problems.errors).toEqual([]);
  });

  it('refuses bytes that are not UTF-8 anywhere, including in a later piece', () => {
    const bytes = Buffer.from(largeText());
    bytes[bytes.length - 10] = 0xff;
    const problems = new ProblemList();
    expect(readJson(bytes, problems)).toBeUndefined();
    expect(problems.errors).toEqual([
      expect.objectContaining({ code: DocumentProblemCode.NOT_JSON, message: 'content is not valid UTF-8' }),
    ]);
  });
});
