// Reads one subscribed workspace for its tile: the student's awareness (online, idle, cursor) and the
// document (files, remote edits), recomputed at most every TILE_REFRESH_MS while edits arrive.
import { listCodeFiles, type StarterFile } from '@tandem/shared';
import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { DocHandle } from '../collab/DocHandle.ts';
import type { Peer } from '../presence/peerState.ts';
import { type LineChanges, workspaceChanges } from './lineDiff.ts';
import { type Snippet, snippetAround } from './tileState.ts';

const TILE_REFRESH_MS = 250;

export interface TileView {
  online: boolean;
  idle: boolean;
  lastEditAt: number | null;
  changes: LineChanges | null;
  fileName: string | null;
  snippet: Snippet | null;
}

export const EMPTY_TILE: TileView = {
  online: false,
  idle: false,
  lastEditAt: null,
  changes: null,
  fileName: null,
  snippet: null,
};

/** The student's own peer on their workspace (any of their tabs that has a file open, else any). */
export function studentPeer(peers: readonly Peer[], userId: string): Peer | null {
  const theirs = peers.filter((p) => p.user.id === userId && !p.isSelf);
  return theirs.find((p) => p.file) ?? theirs[0] ?? null;
}

export function useTileFacts(
  handle: DocHandle | null,
  peers: readonly Peer[],
  userId: string,
  starter: readonly StarterFile[] | null,
): TileView {
  const [lastEditAt, setLastEditAt] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const peer = studentPeer(peers, userId);
  const online = useRef(false);
  online.current = peer !== null;
  useEffect(() => {
    if (!handle) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Edits that came over the connection while the student is there (theirs, or staff editing alongside);
      // not this page's own, nor a hand-out reaching a workspace nobody has open.
      if (origin === handle.provider && online.current) setLastEditAt(Date.now());
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, TILE_REFRESH_MS);
    };
    handle.doc.on('update', onUpdate);
    setVersion((v) => v + 1);
    return () => {
      clearTimeout(timer);
      handle.doc.off('update', onUpdate);
    };
  }, [handle]);

  const [view, setView] = useState<TileView>(EMPTY_TILE);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks document changes
  useEffect(() => {
    if (!handle) return setView(EMPTY_TILE);
    const files = listCodeFiles(handle.doc);
    const file = files.find((f) => f.id === peer?.file) ?? files[0] ?? null;
    let offset: number | null = null;
    if (file && peer?.selection && peer.file === file.id) {
      try {
        const rel = Y.createRelativePositionFromJSON(peer.selection.head);
        offset = Y.createAbsolutePositionFromRelativePosition(rel, handle.doc)?.index ?? null;
      } catch {
        offset = null;
      }
    }
    setView({
      online: peer !== null,
      idle: peer?.idle ?? false,
      lastEditAt,
      changes: starter
        ? workspaceChanges(
            files.map((f) => ({ id: f.id, content: f.text.toString() })),
            starter,
          )
        : null,
      fileName: file?.name ?? null,
      snippet: file ? snippetAround(file.text.toString(), offset) : null,
    });
  }, [handle, version, peer, lastEditAt, starter]);
  return view;
}
