// `/collab` cases: one socket, an Auth frame (or none) for a document, then one to four Hocuspocus frames,
// most of them valid frames mutated, some valid but hostile (foreign client ids, future deletes, awareness
// for someone else), a few text frames or random bytes.

import type { WsCase, WsStep } from '../cases.ts';
import { hocuspocusFrame, pickHocuspocusKind } from '../collabFrames.ts';
import { describeWho, pickWho } from '../identities.ts';
import { mutateBytes } from '../mutate.ts';
import { pickDoc } from './documents.ts';
import { type CaseGenerator, toHex } from './env.ts';

export const collabCase: CaseGenerator = async (rng, env) => {
  const who = await pickWho(rng, env.mint);
  const token = await env.mint.tokenOf(who);
  const doc = pickDoc(rng, who);
  const steps: WsStep[] = [];
  if (who.kind !== 'none' || rng.chance(0.3)) {
    const auth = hocuspocusFrame(rng, env.frames, 'auth', doc, token);
    const mutated = rng.chance(0.1) ? mutateBytes(rng, auth, auth) : undefined;
    steps.push({
      hex: toHex(mutated?.bytes ?? auth.bytes),
      how: `auth ${describeWho(who)} ${JSON.stringify(doc.slice(0, 80))}${mutated ? ` mutated ${mutated.how}` : ''}`,
    });
  }
  for (let i = rng.int(1, 4); i > 0; i--) {
    const kind = pickHocuspocusKind(rng);
    const target = rng.chance(0.85) ? doc : pickDoc(rng, who);
    const frame = hocuspocusFrame(rng, env.frames, kind, target, token);
    const choice = rng.weighted<string>([
      [5, 'mutate'],
      [5, 'valid'],
      [0.5, 'text'],
    ]);
    if (choice === 'text') steps.push({ text: rng.pick(['hello', '{}', '\u0000']), how: 'text frame' });
    else if (choice === 'valid') steps.push({ hex: toHex(frame.bytes), how: `valid ${kind}` });
    else {
      const other = hocuspocusFrame(rng, env.frames, pickHocuspocusKind(rng), target, token);
      const m = mutateBytes(rng, frame, other);
      steps.push({ hex: toHex(m.bytes), how: `${kind} mutated ${m.how}` });
    }
  }
  const c: WsCase = { kind: 'ws', target: 'collab', path: '/collab', steps };
  return c;
};
