// Builds the classroom's services over the app's storage (either engine), collaboration service and media,
// and connects them: presence feeds attendance, breakout groups resolve to their main class, staff act on
// one person through the removals the app checks at every endpoint.
import type { UserIdentity } from '@tandem/shared';
import type { AppContext } from '../app.ts';
import { limitKey } from '../net/clientAddress.ts';
import { PollService } from '../polls/PollService.ts';
import type { AttendanceStorage } from '../storage/types/attendance.ts';
import type { BreakoutStorage } from '../storage/types/breakouts.ts';
import type { ChatStorage } from '../storage/types/chat.ts';
import type { ClassStorage } from '../storage/types/classes.ts';
import type { RecordingStorage } from '../storage/types/recordings.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import { AttendanceRecorder } from './AttendanceRecorder.ts';
import { BreakoutService } from './BreakoutService.ts';
import { ChatService } from './ChatService.ts';
import { ClassEvents } from './ClassEvents.ts';
import { ClassNotifier } from './ClassNotifier.ts';
import type { ClassRoots } from './ClassRoots.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';
import { HandService } from './HandService.ts';
import { LiveControls } from './LiveControls.ts';
import { NotificationService } from './NotificationService.ts';
import { PersonModeration } from './PersonModeration.ts';
import { PresenceTracker } from './PresenceTracker.ts';
import { type Admission, feedPresence } from './presenceFeed.ts';
import { createPrincipalAuth, type PrincipalAuth } from './principal.ts';
import { RecordingIndicators } from './RecordingIndicators.ts';
import type { Removals } from './Removals.ts';
import { SessionService } from './SessionService.ts';

export interface Classroom {
  auth: PrincipalAuth;
  classes: ClassStorage;
  sessions: SessionStorage;
  sessionService: SessionService;
  attendance: AttendanceStorage;
  recorder: AttendanceRecorder;
  tracker: PresenceTracker;
  roots: ClassRoots;
  hands: HandService;
  chat: ChatService;
  chatStore: ChatStorage;
  controls: LiveControls;
  breakouts: BreakoutService;
  breakoutStore: BreakoutStorage;
  notifier: ClassNotifier;
  /** What happened in classes, for notifications, webhooks and the timeline (ClassEvents.ts). */
  events: ClassEvents;
  /** Each person's inbox, filled from the class events (NotificationService.ts). */
  notifications: NotificationService;
  /** Polls and quizzes (../polls/PollService.ts). */
  polls: PollService;
  media: ClassroomMedia;
  removals: Removals;
  moderation: PersonModeration;
  /** Which classes are being recorded (written by server/src/recording, shown in the class state). */
  recordingIndicators: RecordingIndicators;
  /** Recordings' manifests (a session created with `record: true` is armed here). */
  recordings: RecordingStorage;
  nameOf(rootClassId: string, userId: string): Promise<string>;
}

export async function createClassroom(ctx: AppContext, media: ClassroomMedia): Promise<Classroom> {
  const { storage, collab, roots, removals } = ctx;
  const log = ctx.log.child({ mod: 'classroom' });
  const {
    classes,
    sessions,
    attendance,
    breakouts: breakoutStore,
    chat: chatStore,
    hands: handStore,
  } = storage;
  const notifier = new ClassNotifier(collab);
  const events = new ClassEvents(log);
  // Presence is synchronous; every path that adds a device resolves its class's root first (ctx.roots).
  const tracker = new PresenceTracker((classId) => roots.resolvedRootOf(classId));
  const recorder = new AttendanceRecorder({
    store: attendance,
    sessions,
    tracker,
    rootOf: (classId) => roots.resolvedRootOf(classId),
    log,
  });
  const closed = await attendance.closeDangling(Date.now());
  if (closed > 0) log.warn({ intervals: closed }, 'closed attendance intervals left open by a crash');

  const nameOf = async (root: string, userId: string) =>
    tracker.person(root, userId)?.name ?? (await classes.rosterMember(root, userId))?.name ?? userId;
  const breakouts = new BreakoutService({
    store: breakoutStore,
    sessions,
    tracker,
    notifier,
    events,
    media,
    collab,
    authSecret: ctx.authSecret,
    nameOf,
  });
  const audienceOf = (root: string) => breakouts.audienceOf(root);
  const controls = new LiveControls(collab, notifier, media, audienceOf, events);
  const hands = new HandService(handStore, sessions, attendance, breakoutStore, roots, notifier, audienceOf);
  const moderation = new PersonModeration({
    media,
    removals,
    roots,
    tracker,
    classes,
    sessions,
    collab,
    notifier,
    audienceOf,
  });
  const sessionService = new SessionService({
    moderation,
    sessions,
    recorder,
    breakouts,
    controls,
    hands: handStore,
    notifier,
    events,
    media,
    collab,
    log,
  });
  const chat = new ChatService(collab, chatStore, {
    rootOf: (classId) => roots.rootOf(classId),
    isClosedRoom: async (classId) => (await breakoutStore.group(classId))?.state === 'closed',
    isKnownPerson: async (root, id) =>
      tracker.isPresent(root, id) || (await classes.rosterMember(root, id)) !== null,
    onMessageSent: async (classId, user: UserIdentity, sent) => {
      const rootClassId = await roots.rootOf(classId);
      const session = await sessions.live(rootClassId);
      if (session)
        await attendance.countMessage(session.id, { id: user.id, name: user.name, role: user.role });
      events.emit('chatPosted', { classId, rootClassId, ...sent });
    },
  });

  const notifications = new NotificationService({
    store: storage.notifications,
    classes,
    tracker,
    sessions,
    attendance,
    notifier,
    audienceOf,
    log: log.child({ mod: 'notifications' }),
  });
  notifications.listen(events);
  const polls = new PollService({
    store: storage.polls,
    sessions,
    notifier,
    events,
    audienceOf,
    log: log.child({ mod: 'polls' }),
  });

  feedPresence(collab.connectionEvents, tracker, admit);
  // Media events arrive synchronously; they are applied in order, each after its class's root is resolved.
  let mediaEvents: Promise<void> = Promise.resolve();
  const inOrder = (apply: () => Promise<void> | void) => {
    mediaEvents = mediaEvents.then(apply).catch((error: unknown) => {
      log.error({ err: error }, 'media presence event failed');
    });
  };
  media.on('peerJoined', (e) =>
    inOrder(async () => {
      await roots.rootOf(e.classId);
      tracker.add(e.classId, { id: e.userId, name: e.name, role: e.role });
    }),
  );
  media.on('peerLeft', (e) =>
    inOrder(() => {
      recorder.onMediaPeerLeft(e.classId, e.userId);
      tracker.remove(e.classId, e.userId);
    }),
  );
  media.on('activeSpeaker', (e) => inOrder(() => recorder.onActiveSpeaker(e.classId, e.userId)));

  /** A live session's participant limit counts students and observers; staff always get in. */
  async function admit(classId: string, user: UserIdentity): Promise<Admission> {
    const root = await roots.rootOf(classId);
    if (user.role === 'instructor' || user.role === 'assistant') return { ok: true };
    const limit = (await sessions.live(root))?.maxParticipants;
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
    roots,
    hands,
    chat,
    chatStore,
    controls,
    breakouts,
    breakoutStore,
    notifier,
    events,
    notifications,
    polls,
    media,
    removals,
    moderation,
    recordingIndicators: new RecordingIndicators(),
    recordings: storage.recordings,
    nameOf,
  };
}
