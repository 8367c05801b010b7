// How the call follows the media server's notifications: people joining and leaving, producers appearing,
// closing, pausing (remote mute, staff mute), the active speaker, policy and grant changes, staff stopping a
// camera or share or removing us, token refresh, reconnect and class end. We are told about what staff did to
// us (with who did it); never about our own actions.
import { isStaff, type MediaNotification, type ProducerInfo } from '@tandem/shared';
import type { types } from 'mediasoup-client';
import * as S from './mediaState.ts';
import { grantNotice, mutedNotice, policyNotice, stoppedNotice } from './staffNotices.ts';

/** What MediaSession lends the handler: its state, its live producers and consumers, and a few actions. */
export interface NotificationHost {
  state(): S.MediaState;
  set(next: S.MediaState): void;
  producers: Map<S.LocalSourceName, types.Producer>;
  consumers: Map<string, types.Consumer>;
  consume(producer: ProducerInfo): Promise<void>;
  /** Send the server the current token (it asked: ours expires soon). */
  refreshToken(): void;
  /** Drop the connection and rejoin (the server asked for it). */
  reconnect(reason: string): void;
  leave(): void;
}

export async function handleMediaNotification(host: NotificationHost, n: MediaNotification): Promise<void> {
  switch (n.event) {
    case 'peerJoined':
      return host.set(S.withPeer(host.state(), n.data.peer));
    case 'peerLeft':
      return host.set(S.withoutPeer(host.state(), n.data.peerId));
    case 'producerAdded':
      return host.consume(n.data.producer);
    case 'producerClosed': {
      const own = S.localNameOfProducer(host.state(), n.data.producerId);
      if (own) {
        host.producers.get(own)?.close();
        host.producers.delete(own);
        host.state().local[own].track?.stop();
        // Staff stopping it comes with its own notice (stoppedByStaff, who and what next).
        return host.set(S.withLocal(host.state(), own, null));
      }
      for (const [id, consumer] of host.consumers) {
        if (consumer.producerId !== n.data.producerId) continue;
        consumer.close();
        host.consumers.delete(id);
      }
      return host.set(S.withoutStream(host.state(), { producerId: n.data.producerId }));
    }
    case 'producerPaused':
    case 'producerResumed': {
      const paused = n.event === 'producerPaused';
      const byStaff = n.event === 'producerPaused' && n.data.byStaff;
      const own = S.localNameOfProducer(host.state(), n.data.producerId);
      if (own) return host.set(S.withLocal(host.state(), own, { paused, mutedByStaff: byStaff }));
      return host.set(S.withStreamPaused(host.state(), n.data.producerId, paused, byStaff));
    }
    case 'consumerClosed':
      host.consumers.get(n.data.consumerId)?.close();
      host.consumers.delete(n.data.consumerId);
      return host.set(S.withoutStream(host.state(), { consumerId: n.data.consumerId }));
    case 'activeSpeaker':
      return host.set({ ...host.state(), activeSpeaker: n.data.peerId });
    case 'audioLevels':
      return host.set(S.withSpeaking(host.state(), S.speakingFrom(n.data.levels)));
    case 'mutedByStaff': {
      let state = host.state();
      for (const id of n.data.producerIds) {
        const own = S.localNameOfProducer(state, id);
        if (own) state = S.withLocal(state, own, { paused: true, mutedByStaff: true });
        const producer = own ? host.producers.get(own) : undefined;
        producer?.pause();
      }
      return host.set({ ...state, notice: mutedNotice(n.data.byName) });
    }
    case 'stoppedByStaff':
      return host.set({ ...host.state(), notice: stoppedNotice(n.data) });
    case 'publishPolicyChanged': {
      const state = host.state();
      const affected = state.self && !isStaff(state.self.role) && n.data.byPeerId !== state.self.peerId;
      return host.set({
        ...state,
        policy: n.data.policy,
        notice: affected ? policyNotice(n.data) : state.notice,
      });
    }
    case 'publishGrantChanged': {
      const state = S.withGrant(host.state(), n.data.userId, n.data.grant);
      const mine = state.self?.userId === n.data.userId;
      return host.set({ ...state, notice: mine ? grantNotice(n.data) : state.notice });
    }
    case 'removed':
      host.leave();
      return host.set({ ...host.state(), notice: n.data.reason });
    case 'tokenExpiring':
      host.refreshToken();
      return;
    case 'reconnect':
      host.reconnect(n.data.reason);
      return;
    case 'classClosed':
      host.leave();
      return host.set({ ...host.state(), notice: `The call ended: ${n.data.reason}` });
    default: {
      const unreachable: never = n;
      return unreachable;
    }
  }
}
