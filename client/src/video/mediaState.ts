// The call as the UI sees it: a phase, the people in the call with their streams, our own sources, and
// the active speaker. Plain immutable data with pure update helpers (MediaSession owns the live objects).
import type { PeerInfo, ProducerSource, PublishGrant, PublishPolicy } from '@tandem/shared';

export type MediaPhase =
  | 'idle'
  | 'connecting'
  | 'joined'
  | 'reconnecting'
  | 'unavailable'
  | 'refused'
  /** The token expired (the server closed with 4401 "token expired"); a new token rejoins. */
  | 'expired'
  | 'left';
export type LocalSourceName = 'mic' | 'camera' | 'screen';

export interface RemoteStream {
  consumerId: string;
  producerId: string;
  source: ProducerSource;
  track: MediaStreamTrack;
  /** The sender paused it (muted); `mutedByStaff` when staff did. */
  paused: boolean;
  mutedByStaff: boolean;
}

export interface RemotePeer {
  info: PeerInfo;
  streams: readonly RemoteStream[];
}

export interface LocalSource {
  producerId: string | null;
  track: MediaStreamTrack | null;
  paused: boolean;
  mutedByStaff: boolean;
}

export interface MediaState {
  phase: MediaPhase;
  /** Why the call is unavailable, refused or reconnecting, in words. */
  error: string | null;
  /** Something to tell the person once (e.g. "Ada muted you"). */
  notice: string | null;
  self: PeerInfo | null;
  policy: PublishPolicy;
  peers: readonly RemotePeer[];
  local: Readonly<Record<LocalSourceName, LocalSource>>;
  /** The dominant speaker as the SFU last said (raw: the stage smooths it, see speakerTracker.ts). */
  activeSpeaker: string | null;
  /** Peers (ours included) whose microphone is above SPEAKING_DBOV in the SFU's latest audio levels. */
  speaking: readonly string[];
}

/** Microphone level (dBov, -127 silent .. 0 loudest) above which a person counts as speaking now. */
export const SPEAKING_DBOV = -55;

/** The peers speaking now, from an `audioLevels` notification (an empty list means silence). */
export function speakingFrom(levels: readonly { peerId: string; volume: number }[]): string[] {
  const ids = levels.filter((l) => l.volume > SPEAKING_DBOV).map((l) => l.peerId);
  return [...new Set(ids)].sort();
}

/** Same members: a new array only when someone started or stopped speaking (fewer re-renders). */
export function withSpeaking(state: MediaState, speaking: readonly string[]): MediaState {
  const same =
    speaking.length === state.speaking.length && speaking.every((id, i) => id === state.speaking[i]);
  return same ? state : { ...state, speaking };
}

const NO_SOURCE: LocalSource = Object.freeze({
  producerId: null,
  track: null,
  paused: false,
  mutedByStaff: false,
});

export const INITIAL_MEDIA_STATE: MediaState = Object.freeze({
  phase: 'idle',
  error: null,
  notice: null,
  self: null,
  policy: 'audio-video',
  peers: [],
  local: { mic: NO_SOURCE, camera: NO_SOURCE, screen: NO_SOURCE },
  activeSpeaker: null,
  speaking: [],
});

export function withPeer(state: MediaState, info: PeerInfo): MediaState {
  if (state.peers.some((p) => p.info.peerId === info.peerId)) return state;
  return { ...state, peers: [...state.peers, { info, streams: [] }] };
}

export function withoutPeer(state: MediaState, peerId: string): MediaState {
  return {
    ...state,
    peers: state.peers.filter((p) => p.info.peerId !== peerId),
    activeSpeaker: state.activeSpeaker === peerId ? null : state.activeSpeaker,
    speaking: state.speaking.filter((id) => id !== peerId),
  };
}

/** A user's grant changed: on our own info (what we may publish) and on their tile. */
export function withGrant(state: MediaState, userId: string, grant: PublishGrant | null): MediaState {
  return {
    ...state,
    self: state.self?.userId === userId ? { ...state.self, grant } : state.self,
    peers: state.peers.map((p) => (p.info.userId === userId ? { ...p, info: { ...p.info, grant } } : p)),
  };
}

export function withStream(state: MediaState, peerId: string, stream: RemoteStream): MediaState {
  return {
    ...state,
    peers: state.peers.map((p) =>
      p.info.peerId === peerId
        ? { ...p, streams: [...p.streams.filter((s) => s.producerId !== stream.producerId), stream] }
        : p,
    ),
  };
}

export function withoutStream(
  state: MediaState,
  match: { producerId?: string; consumerId?: string },
): MediaState {
  const drop = (s: RemoteStream) => s.producerId === match.producerId || s.consumerId === match.consumerId;
  return {
    ...state,
    peers: state.peers.map((p) =>
      p.streams.some(drop) ? { ...p, streams: p.streams.filter((s) => !drop(s)) } : p,
    ),
  };
}

export function withStreamPaused(
  state: MediaState,
  producerId: string,
  paused: boolean,
  byStaff: boolean,
): MediaState {
  return {
    ...state,
    peers: state.peers.map((p) =>
      p.streams.some((s) => s.producerId === producerId)
        ? {
            ...p,
            streams: p.streams.map((s) =>
              s.producerId === producerId ? { ...s, paused, mutedByStaff: paused && byStaff } : s,
            ),
          }
        : p,
    ),
  };
}

export function withLocal(
  state: MediaState,
  name: LocalSourceName,
  patch: Partial<LocalSource> | null,
): MediaState {
  return {
    ...state,
    local: { ...state.local, [name]: patch === null ? NO_SOURCE : { ...state.local[name], ...patch } },
  };
}

export function localNameOfProducer(state: MediaState, producerId: string): LocalSourceName | null {
  for (const name of ['mic', 'camera', 'screen'] as const)
    if (state.local[name].producerId === producerId) return name;
  return null;
}

export function streamOf(peer: RemotePeer, source: ProducerSource): RemoteStream | undefined {
  return peer.streams.find((s) => s.source === source);
}
