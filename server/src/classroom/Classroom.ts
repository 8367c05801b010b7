// Builds the classroom's stores and services over the app's database, collaboration service and media,
// and connects them: presence feeds attendance, breakout groups resolve to their main class.
import type { UserIdentity } from '@tandem/shared';
import type { AppContext } from '../app.ts';
import { limitKey } from '../net/clientAddress.ts';
import { AttendanceRecorder } from './AttendanceRecorder.ts';
import { AttendanceStore } from './AttendanceStore.ts';
import { BreakoutService } from './BreakoutService.ts';
import { BreakoutStore } from './BreakoutStore.ts';
import { ChatService } from './ChatService.ts';
import { ChatStore } from './ChatStore.ts';
import { ClassNotifier } from './ClassNotifier.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';
import { ClassStore } from './ClassStore.ts';
import { HandService } from './HandService.ts';
import { HandStore } from './HandStore.ts';
import { LiveControls } from './LiveControls.ts';
import { PresenceTracker } from './PresenceTracker.ts';
import { type Admission, feedPresence } from './presenceFeed.ts';
import { createPrincipalAuth, type PrincipalAuth } from './principal.ts';
import { SessionService } from './SessionService.ts';
import { SessionStore } from './SessionStore.ts';

export interface Classroom {
  auth: PrincipalAuth;
  classes: ClassStore;
  sessions: SessionStore;
  sessionService: SessionService;
  attendance: AttendanceStore;
  recorder: AttendanceRecorder;
  tracker: PresenceTracker;
  hands: HandService;
  chat: ChatService;
  chatStore: ChatStore;
  controls: LiveControls;
  breakouts: BreakoutService;
  breakoutStore: BreakoutStore;
  notifier: ClassNotifier;
  media: ClassroomMedia;
  nameOf(rootClassId: string, userId: string): string;
}

export function createClassroom(ctx: AppContext, media: ClassroomMedia): Classroom {
  const { db, collab } = ctx;
  const log = ctx.log.child({ mod: 'classroom' });
  const classes = new ClassStore(db);
  const sessions = new SessionStore(db);
  const attendance = new AttendanceStore(db);
  const breakoutStore = new BreakoutStore(db);
  const chatStore = new ChatStore(db);
  const handStore = new HandStore(db);
  const notifier = new ClassNotifier(collab);
  const rootOf = (classId: string) => breakoutStore.rootOf(classId);
  const tracker = new PresenceTracker(rootOf);
  const recorder = new AttendanceRecorder(attendance, sessions, tracker, rootOf);
  const closed = attendance.closeDangling(Date.now());
  if (closed > 0) log.warn({ intervals: closed }, 'closed attendance intervals left open by a crash');

  const nameOf = (root: string, userId: string) =>
    tracker.person(root, userId)?.name ?? classes.rosterMember(root, userId)?.name ?? userId;
  const breakouts = new BreakoutService({
    store: breakoutStore,
    sessions,
    tracker,
    notifier,
    media,
    collab,
    authSecret: ctx.authSecret,
    nameOf,
  });
  const audienceOf = (root: string) => breakouts.audienceOf(root);
  const controls = new LiveControls(collab, notifier, media, audienceOf);
  const hands = new HandService(handStore, sessions, attendance, breakoutStore, notifier, audienceOf);
  const sessionService = new SessionService({
    sessions,
    recorder,
    breakouts,
    controls,
    hands: handStore,
    notifier,
    media,
    collab,
    log,
  });
  const chat = new ChatService(collab, chatStore, {
    rootOf,
    isClosedRoom: (classId) => breakoutStore.group(classId)?.state === 'closed',
    isKnownPerson: (root, id) => tracker.isPresent(root, id) || classes.rosterMember(root, id) !== null,
    onMessageSent: (classId, user: UserIdentity) => {
      const session = sessions.live(rootOf(classId));
      if (session) attendance.countMessage(session.id, { id: user.id, name: user.name, role: user.role });
    },
  });

  feedPresence(collab.connectionEvents, tracker, (classId, user) => admit(classId, user));
  media.on('peerJoined', (e) => tracker.add(e.classId, { id: e.userId, name: e.name, role: e.role }));
  media.on('peerLeft', (e) => {
    recorder.onMediaPeerLeft(e.classId, e.userId);
    tracker.remove(e.classId, e.userId);
  });
  media.on('activeSpeaker', (e) => recorder.onActiveSpeaker(e.classId, e.userId));

  /** A live session's participant limit counts students and observers; staff always get in. */
  function admit(classId: string, user: UserIdentity): Admission {
    if (user.role === 'instructor' || user.role === 'assistant') return { ok: true };
    const root = rootOf(classId);
    const limit = sessions.live(root)?.maxParticipants;
    if (!limit || tracker.isPresent(root, user.id)) return { ok: true };
    const others = tracker.present(root).filter((p) => p.role === 'student' || p.role === 'observer').length;
    return others < limit ? { ok: true } : { ok: false, reason: `the class is full (${limit} participants)` };
  }

  return {
    auth: createPrincipalAuth(ctx.config.apiKeys, ctx.verifier, {
      credentials: ctx.credentials,
      addressOf: (req) => limitKey(ctx.clientAddress(req)),
    }),
    classes,
    sessions,
    sessionService,
    attendance,
    recorder,
    tracker,
    hands,
    chat,
    chatStore,
    controls,
    breakouts,
    breakoutStore,
    notifier,
    media,
    nameOf,
  };
}
