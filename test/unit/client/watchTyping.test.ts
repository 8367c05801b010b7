import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { TYPING_FIELD, TYPING_TIMEOUT_MS } from '../../../client/src/classroom/chat/typing.ts';
import { watchTyping } from '../../../client/src/classroom/chat/watchTyping.ts';

const stops: (() => void)[] = [];
const awarenesses: Awareness[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  for (const a of awarenesses.splice(0)) a.destroy();
});

function awareness(): Awareness {
  const a = new Awareness(new Y.Doc());
  awarenesses.push(a);
  return a;
}

/** A remote typist's state, delivered to `local` as the provider would deliver it. */
function typist(local: Awareness, id: string, name: string, typing: { room: string; n: number } | null) {
  const remote = awareness();
  remote.setLocalState({ user: { id, name, role: 'student' }, [TYPING_FIELD]: typing });
  applyAwarenessUpdate(local, encodeAwarenessUpdate(remote, [remote.clientID]), 'remote');
  return remote;
}

describe('watchTyping', () => {
  it('counts someone who was already typing before the watch began', () => {
    const local = awareness();
    typist(local, 'linus', 'Linus', { room: 'main', n: 1 });
    const seen: string[][] = [];
    stops.push(watchTyping(local, 'main', 'ada', (names) => seen.push(names)));
    expect(seen.at(-1)).toEqual(['Linus']);
  });

  it('follows changes: other rooms and the reader itself do not count, a stopped typist leaves', () => {
    const local = awareness();
    const seen: string[][] = [];
    stops.push(watchTyping(local, 'main', 'ada', (names) => seen.push(names)));
    expect(seen.at(-1)).toEqual([]);
    typist(local, 'grace', 'Grace', { room: 'group-1', n: 1 });
    typist(local, 'ada', 'Ada (other tab)', { room: 'main', n: 1 });
    expect(seen.at(-1)).toEqual([]);
    const linus = typist(local, 'linus', 'Linus', { room: 'main', n: 1 });
    expect(seen.at(-1)).toEqual(['Linus']);
    linus.setLocalStateField(TYPING_FIELD, null);
    applyAwarenessUpdate(local, encodeAwarenessUpdate(linus, [linus.clientID]), 'remote');
    expect(seen.at(-1)).toEqual([]);
  });

  it('forgets a typist who stops bumping the counter', () => {
    let clock = 1_000;
    const local = awareness();
    typist(local, 'linus', 'Linus', { room: 'main', n: 1 });
    const seen: string[][] = [];
    stops.push(
      watchTyping(
        local,
        'main',
        'ada',
        (names) => seen.push(names),
        () => clock,
      ),
    );
    expect(seen.at(-1)).toEqual(['Linus']);
    clock += TYPING_TIMEOUT_MS;
    local.emit('change', [{ added: [], updated: [], removed: [] }, 'remote']);
    expect(seen.at(-1)).toEqual([]);
  });
});
