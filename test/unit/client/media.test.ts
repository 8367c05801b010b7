// Video logic without a browser: simulcast layer choice, connection quality, the call state updates, and what
// the person staff acted on is told.
import type { PeerInfo } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as S from '../../../client/src/video/mediaState.ts';
import { qualityBetween } from '../../../client/src/video/quality.ts';
import { CAMERA_ENCODINGS, layerForTile } from '../../../client/src/video/simulcast.ts';
import { grantNotice, policyNotice, stoppedNotice } from '../../../client/src/video/staffNotices.ts';

describe('simulcast', () => {
  it('sends three layers, lowest first', () => {
    expect(CAMERA_ENCODINGS.map((e) => e.scaleResolutionDownBy)).toEqual([4, 2, 1]);
  });

  it('picks the smallest layer that covers the tile height', () => {
    expect(layerForTile(90)).toBe(0); // sidebar thumbnail
    expect(layerForTile(300)).toBe(1);
    expect(layerForTile(600)).toBe(2); // large speaker view
    expect(layerForTile(150, 2)).toBe(1); // retina thumbnails need more pixels
    expect(layerForTile(5000)).toBe(2);
  });
});

describe('quality', () => {
  const sample = (received: number, lost: number, jitter = 0.005, rtt = 0.05) => ({
    packetsReceived: received,
    packetsLost: lost,
    jitter,
    roundTripTime: rtt,
  });
  it('grades loss, jitter and round trip over the interval', () => {
    expect(qualityBetween(null, sample(100, 0))).toBe('unknown');
    expect(qualityBetween(sample(100, 0), sample(200, 0))).toBe('good');
    expect(qualityBetween(sample(100, 0), sample(200, 4))).toBe('ok');
    expect(qualityBetween(sample(100, 0), sample(200, 20))).toBe('poor');
    expect(qualityBetween(sample(100, 0), sample(200, 0, 0.1))).toBe('poor');
    expect(qualityBetween(sample(100, 0), sample(200, 0, 0.005, 0.3))).toBe('ok');
    expect(qualityBetween(sample(100, 0), sample(100, 0))).toBe('unknown');
  });
});

describe('call state', () => {
  const info = (peerId: string, name: string): PeerInfo => ({
    peerId,
    userId: peerId,
    name,
    role: 'student',
    grant: null,
  });
  const track = {} as MediaStreamTrack;

  it('adds and removes peers and their streams; remote mute is tracked per stream', () => {
    let state = S.withPeer(S.INITIAL_MEDIA_STATE, info('p1', 'Bea'));
    state = S.withPeer(state, info('p1', 'Bea'));
    expect(state.peers).toHaveLength(1);
    state = S.withStream(state, 'p1', {
      consumerId: 'c1',
      producerId: 'm1',
      source: 'mic',
      track,
      paused: false,
      mutedByStaff: false,
    });
    state = S.withStreamPaused(state, 'm1', true, true);
    expect(state.peers[0]?.streams[0]).toMatchObject({ paused: true, mutedByStaff: true });
    state = S.withStreamPaused(state, 'm1', false, false);
    expect(state.peers[0]?.streams[0]).toMatchObject({ paused: false, mutedByStaff: false });
    state = S.withoutStream(state, { consumerId: 'c1' });
    expect(state.peers[0]?.streams).toEqual([]);
    state = { ...state, activeSpeaker: 'p1' };
    state = S.withoutPeer(state, 'p1');
    expect(state).toMatchObject({ peers: [], activeSpeaker: null });
  });

  it('knows who is speaking now from the audio levels, and changes only when that changes', () => {
    expect(
      S.speakingFrom([
        { peerId: 'b', volume: -30 },
        { peerId: 'a', volume: -40 },
        { peerId: 'c', volume: -80 },
      ]),
    ).toEqual(['a', 'b']);
    const state = S.withSpeaking(S.INITIAL_MEDIA_STATE, ['a', 'b']);
    expect(S.withSpeaking(state, ['a', 'b'])).toBe(state);
    expect(S.withSpeaking(state, []).speaking).toEqual([]);
    expect(S.withoutPeer(state, 'a').speaking).toEqual(['b']);
  });

  it('finds our own sources by producer id', () => {
    const state = S.withLocal(S.INITIAL_MEDIA_STATE, 'camera', { producerId: 'pc', track });
    expect(S.localNameOfProducer(state, 'pc')).toBe('camera');
    expect(S.localNameOfProducer(S.withLocal(state, 'camera', null), 'pc')).toBeNull();
  });
});

describe('staff actions in the call', () => {
  it('keep a user’s grant on our own info and on their tile', () => {
    let state = S.withPeer(S.INITIAL_MEDIA_STATE, {
      peerId: 'p1',
      userId: 'bea',
      name: 'Bea',
      role: 'student',
      grant: null,
    });
    state = { ...state, self: { peerId: 'me', userId: 'ana', name: 'Ana', role: 'student', grant: null } };
    state = S.withGrant(state, 'ana', 'present');
    expect(state.self?.grant).toBe('present');
    expect(state.peers[0]?.info.grant).toBeNull();
    expect(S.withGrant(state, 'bea', 'speak').peers[0]?.info.grant).toBe('speak');
  });

  it('tell the person who did it and what they can do next', () => {
    const by = { byPeerId: null, byName: 'Ines' };
    expect(stoppedNotice({ source: 'camera', producerIds: ['p'], ...by })).toBe(
      'Ines stopped your camera. You can turn it on again when you are ready.',
    );
    expect(grantNotice({ peerId: 'p', userId: 'u', grant: 'present', ...by })).toMatch(
      /^Ines let you present: .*share your screen\.$/,
    );
    expect(grantNotice({ peerId: 'p', userId: 'u', grant: null, ...by })).toContain(
      'class rules apply to you again',
    );
    expect(policyNotice({ policy: 'audio', ...by })).toBe(
      'Ines changed the call: students may use their microphone.',
    );
  });
});
