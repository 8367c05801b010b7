// Renders one tile of the stage layout (stageLayout.ts) from the call: our camera or screen, or a remote
// person's camera or screen, with the speaking highlight, the pin button and staff's actions menu.
import type { ReactNode } from 'react';
import type { StageTile } from './stageLayout.ts';
import type { Call } from './useCall.ts';
import { RemoteTile, SelfScreenTile, SelfTile } from './VideoTile.tsx';

export function CallTile({
  tile,
  call,
  pinned,
  onPin,
  actionsFor,
}: {
  tile: StageTile;
  call: Call;
  pinned?: boolean;
  onPin?(): void;
  /** Staff: the per-person actions menu (classroom/PersonActions.tsx). */
  actionsFor?(person: { id: string; name: string }): ReactNode;
}) {
  const { state } = call;
  const speaking = state.speaking.includes(tile.peerId);
  if (tile.self) {
    if (tile.source === 'screen')
      return <SelfScreenTile onStop={call.toggleScreen} pinned={pinned} onPin={onPin} />;
    const mic = state.local.mic;
    return (
      <SelfTile
        name={tile.name}
        userId={tile.userId}
        track={tile.video ? state.local.camera.track : null}
        micOn={mic.producerId !== null && !mic.paused}
        speaking={speaking}
        pinned={pinned}
        onPin={onPin}
      />
    );
  }
  const peer = state.peers.find((p) => p.info.peerId === tile.peerId);
  if (!peer) return null;
  return (
    <RemoteTile
      peer={peer}
      session={call.session}
      speaking={speaking}
      source={tile.source}
      pinned={pinned}
      onPin={onPin}
      actions={actionsFor?.({ id: peer.info.userId, name: peer.info.name })}
    />
  );
}
