// Identifier rules shared by every id that appears in a document name, token or URL.
import * as v from 'valibot';

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const idSchema = v.pipe(
  v.string(),
  v.regex(ID_PATTERN, 'must be 1-64 characters of A-Z, a-z, 0-9, _ or -'),
);

export function isValidId(value: string): boolean {
  return ID_PATTERN.test(value);
}
