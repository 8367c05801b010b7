// `/yjs/<doc>` cases: the document name and token in the upgrade URL (sometimes with broken percent-escapes
// and junk), then one to four y-websocket frames, mostly mutated valid ones.
import type { WsCase, WsStep } from '../cases.ts';
import { Y_WEBSOCKET_KINDS, yWebsocketFrame } from '../collabFrames.ts';
import { describeWho, pickWho } from '../identities.ts';
import { mutateBytes } from '../mutate.ts';
import type { Rng } from '../prng.ts';
import { pickDoc } from './documents.ts';
import { type CaseGenerator, toHex } from './env.ts';

const PATH_JUNK = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2F', '%25', '%u0041', '%%', '%F0%9F%98'];

function damagePath(rng: Rng, encoded: string): { path: string; how: string } {
  const how = rng.pick(['junkEscape', 'doubleSlash', 'dotdot', 'long', 'raw'] as const);
  const at = rng.int(0, encoded.length);
  if (how === 'junkEscape')
    return { path: encoded.slice(0, at) + rng.pick(PATH_JUNK) + encoded.slice(at), how };
  if (how === 'doubleSlash') return { path: `/${encoded}`, how };
  if (how === 'dotdot') return { path: `..%2F${encoded}`, how };
  if (how === 'long') return { path: encoded + 'a'.repeat(rng.pick([300, 5000])), how };
  return { path: encoded.replaceAll('%2F', '/'), how };
}

export const yjsCase: CaseGenerator = async (rng, env) => {
  const who = await pickWho(rng, env.mint);
  const token = await env.mint.tokenOf(who);
  const doc = pickDoc(rng, who);
  // A lone surrogate cannot be percent-encoded; it travels as U+FFFD, as a browser would send it.
  let name = encodeURIComponent(doc.replace(/[\ud800-\udfff]/g, '\ufffd'));
  let pathHow = '';
  if (rng.chance(0.2)) ({ path: name, how: pathHow } = damagePath(rng, name));
  const query =
    who.kind === 'none' && rng.chance(0.5)
      ? ''
      : `?token=${encodeURIComponent(token)}${rng.chance(0.1) ? '&token=x' : ''}`;
  const steps: WsStep[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) {
    const kind = rng.pick(Y_WEBSOCKET_KINDS);
    const frame = yWebsocketFrame(rng, env.frames, kind);
    if (rng.chance(0.35)) steps.push({ hex: toHex(frame.bytes), how: `valid ${kind}` });
    else {
      const m = mutateBytes(rng, frame, yWebsocketFrame(rng, env.frames, rng.pick(Y_WEBSOCKET_KINDS)));
      steps.push({ hex: toHex(m.bytes), how: `${kind} mutated ${m.how}` });
    }
  }
  steps[0]!.how = `${describeWho(who)} ${JSON.stringify(doc.slice(0, 80))}${pathHow ? ` path ${pathHow}` : ''}; ${steps[0]!.how}`;
  const c: WsCase = { kind: 'ws', target: 'yjs', path: `/yjs/${name}${query}`, steps };
  return c;
};
