// What the classroom needs from class media (server/src/media's MediaService satisfies it): staff actions by
// class and user id and the events attendance listens to. Kept narrow so the classroom does not depend on
// mediasoup.
import type { PublishPolicy } from '@tandem/shared';
import type { MediaPeerEvent, UserAction, UserMedia } from '../media/index.ts';

export interface ClassroomMedia {
  readonly available: boolean;
  readonly unavailableReason: string | undefined;
  muteAll(classId: string, opts: { byName?: string }): Promise<number>;
  actOnUser(classId: string, userId: string, what: UserAction, opts: { byName?: string }): Promise<number>;
  userMedia(classId: string, userId: string): UserMedia;
  setPublishPolicy(classId: string, policy: PublishPolicy, opts: { byName?: string }): number;
  publishPolicy(classId: string): PublishPolicy | undefined;
  closeClass(classId: string, reason?: string): Promise<boolean>;
  on(event: 'peerJoined', listener: (e: MediaPeerEvent) => void): unknown;
  on(event: 'peerLeft', listener: (e: MediaPeerEvent) => void): unknown;
  on(event: 'activeSpeaker', listener: (e: { classId: string; userId: string | null }) => void): unknown;
}
