// Document names fuzz cases address: the witnesses' documents, the caller's own workspace, other classes'
// documents, and names the server must refuse.
import { OTHER_CLASS, type Who, WITNESS_CLASS } from '../identities.ts';
import type { Rng } from '../prng.ts';

/** Code is locked in the witness class, so no fuzz identity may write this one. */
export const LOCKED_DOC = `${WITNESS_CLASS}/code/main`;
/** Students may write the board: fuzz updates land next to the witnesses' text. */
export const SHARED_DOC = `${WITNESS_CLASS}/board/main`;

export function pickDoc(rng: Rng, who: Who): string {
  const own = who.kind === 'user' ? who.sub : 'fz0';
  return rng.weighted<string>([
    [5, LOCKED_DOC],
    [5, SHARED_DOC],
    [2, `${WITNESS_CLASS}/ws/${own}`],
    [1, `${WITNESS_CLASS}/ws/wit-ins`],
    [1, `${WITNESS_CLASS}/chat/main`],
    [1, `${OTHER_CLASS}/code/main`],
    [
      2,
      rng.pick([
        '',
        'class1',
        'class1/code',
        'class1/nope/x',
        `class1/code/${'k'.repeat(65)}`,
        'x'.repeat(2000),
        '../class1/code/main',
        'class1/code/main\u0000',
        'class1/code/ma%in',
        'class1/ code/main',
        '\ud800/code/a',
      ]),
    ],
  ]);
}
