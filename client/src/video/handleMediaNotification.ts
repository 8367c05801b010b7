// How the call follows the media server's notifications: people joining and leaving, producers appearing,
// closing, pausing (remote mute, staff mute), the active speaker, policy changes, token refresh, reconnect
// and class end.
import type { MediaNotification, ProducerInfo } from '@tandem/shared';
import type { types } from 'mediasoup-client';
import * as S from './mediaState.ts';

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
        const why = n.data.reason === 'stopped-by-staff' ? 'Staff stopped your screen share.' : null;
        return host.set({ ...S.withLocal(host.state(), own, null), notice: why ?? host.state().notice });
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
      return host.set({ ...state, notice: `${n.data.byName} muted you. Unmute when you want to speak.` });
    }
    case 'publishPolicyChanged':
      return host.set({ ...host.state(), policy: n.data.policy });
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
