// Following in the editor: tracks the chosen person (or the staff member whose "follow me" is on in the class
// state) by opening their file and matching their scroll position; the follower's own navigation ends it.
import { type RefObject, useCallback, useEffect, useMemo, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { setPresence } from '../collab/useCollab.ts';
import { type FollowTarget, followStep, pickFollowTarget } from '../presence/follow.ts';
import type { Peer } from '../presence/peerState.ts';
import type { CodeEditorApi } from './CodeEditor.tsx';

export interface FollowControls {
  target: FollowTarget;
  /** Follow a person by user id, or stop with null. */
  follow(userId: string | null): void;
  /** The person navigated on their own: stop an explicit follow or opt out of "follow me". */
  stop(): void;
}

export function useFollow(options: {
  awareness: Awareness;
  peers: readonly Peer[];
  self: { userId: string };
  /** Who asked everyone to follow them (class state), or null. */
  leaderId: string | null;
  fileId: string | null;
  openFile(fileId: string): void;
  editor: RefObject<CodeEditorApi | null>;
}): FollowControls {
  const { awareness, peers, self, leaderId, fileId, openFile, editor } = options;
  const [explicit, setExplicit] = useState<string | null>(null);
  const [optedOut, setOptedOut] = useState(false);

  const target = useMemo(
    () =>
      pickFollowTarget({
        peers,
        self: { clientId: awareness.clientID, userId: self.userId },
        explicit,
        leaderId,
        optedOutOfFollowMe: optedOut,
      }),
    [peers, awareness, self.userId, explicit, leaderId, optedOut],
  );

  // A new "follow me" (after the leader stopped) applies again to those who opted out of the last one.
  useEffect(() => {
    if (!leaderId) setOptedOut(false);
  }, [leaderId]);

  const targetFile = target?.peer.file ?? null;
  const targetTop = target?.peer.scroll?.top ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run only when what we follow moves
  useEffect(() => {
    if (!target) return;
    const step = followStep(target.peer, { fileId, scrollTop: editor.current?.scrollTop() ?? 0 });
    if (step.openFile) openFile(step.openFile);
    if (step.scrollTop !== null) {
      const top = step.scrollTop;
      // After a file switch the model must be in place before scrolling.
      requestAnimationFrame(() => editor.current?.scrollTo(top));
    }
  }, [targetFile, targetTop, target?.peer.clientId]);

  useEffect(() => {
    setPresence(awareness, { following: explicit });
  }, [awareness, explicit]);

  const follow = useCallback((userId: string | null) => setExplicit(userId), []);

  const stop = useCallback(() => {
    if (!target) return;
    if (target.reason === 'explicit') setExplicit(null);
    else setOptedOut(true);
  }, [target]);

  return { target, follow, stop };
}
