// The wall's template hand-out: typed and uploaded files become the server's starter files (ids from names,
// unique), and every limit of the server's body schema is told before anything is sent.
import { HANDOUT_MAX_FILE_CHARS, HANDOUT_MAX_FILES, handoutBodySchema } from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { templateFiles } from '../../../../client/src/wall/templateFiles.ts';

describe('templateFiles', () => {
  it('makes starter files the server accepts, with ids from their names', () => {
    const made = templateFiles([
      { name: ' main.py ', content: 'print(1)\n' },
      { name: 'main-py', content: '' },
      { name: 'main_py', content: 'x' },
    ]);
    if (!('files' in made)) throw new Error(made.error);
    expect(made.files).toEqual([
      { id: 'main_py', name: 'main.py', content: 'print(1)\n' },
      { id: 'main-py', name: 'main-py', content: '' },
      { id: 'main_py-2', name: 'main_py', content: 'x' },
    ]);
    expect(v.safeParse(handoutBodySchema, { source: 'template', files: made.files }).success).toBe(true);
    const odd = templateFiles([{ name: 'ünïcode.py', content: '' }]);
    expect(odd).toEqual({ files: [{ id: '_n_code_py', name: 'ünïcode.py', content: '' }] });
  });

  it('refuses what the server would, with a reason', () => {
    expect(templateFiles([])).toHaveProperty('error');
    expect(templateFiles([{ name: '  ', content: 'x' }])).toEqual({ error: 'Every file needs a name.' });
    expect(
      templateFiles([
        { name: 'a.py', content: '' },
        { name: 'a.py', content: '' },
      ]),
    ).toEqual({
      error: 'a.py is there twice.',
    });
    expect(templateFiles([{ name: 'a.py', content: 'x'.repeat(HANDOUT_MAX_FILE_CHARS + 1) }])).toHaveProperty(
      'error',
    );
    const many = Array.from({ length: HANDOUT_MAX_FILES + 1 }, (_, i) => ({ name: `f${i}.py`, content: '' }));
    expect(templateFiles(many)).toHaveProperty('error');
    const big = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.py`, content: 'x'.repeat(99_000) }));
    expect(templateFiles(big)).toEqual({ error: 'A hand-out holds at most 400000 characters in all.' });
    expect(templateFiles([{ name: 'n'.repeat(101), content: '' }])).toHaveProperty('error');
  });
});
