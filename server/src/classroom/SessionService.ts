// The life of a session and what happens at its edges. Start: attendance opens for everyone present. End:
// everyone is told, breakouts close, hands go down, follow-me and spotlight stop, people removed for the
// session may come back, class media closes, and every document's pending store is flushed.
import type { SessionInfo } from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import type { Logger } from '../logger.ts';
import type { HandStorage } from '../storage/types/hands.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { AttendanceRecorder } from './AttendanceRecorder.ts';
import type { BreakoutService } from './BreakoutService.ts';
import type { ClassEvents } from './ClassEvents.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';
import type { LiveControls } from './LiveControls.ts';
import type { PersonModeration } from './PersonModeration.ts';

export interface SessionServiceDeps {
  sessions: SessionStorage;
  moderation: Pick<PersonModeration, 'sessionEnded'>;
  recorder: AttendanceRecorder;
  breakouts: BreakoutService;
  controls: LiveControls;
  hands: HandStorage;
  notifier: ClassNotifier;
  events: Pick<ClassEvents, 'emit'>;
  media: ClassroomMedia;
  collab: Pick<CollabService, 'hocuspocus'>;
  log: Logger;
}

export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  /** `byId`: who started it (null when the course platform or a schedule did). */
  async start(sessionId: string, byId: string | null = null): Promise<SessionInfo> {
    const { sessions, recorder, notifier } = this.deps;
    const session = await sessions.start(sessionId);
    await recorder.sessionStarted(session);
    notifier.toClass(session.classId, { type: 'session', sessionId: session.id, state: 'live', byId });
    this.deps.events.emit('sessionStarted', {
      classId: session.classId,
      sessionId: session.id,
      at: session.startedAt ? Date.parse(session.startedAt) : Date.now(),
      byId,
    });
    this.deps.log.info({ classId: session.classId, sessionId }, 'session started');
    return session;
  }

  async end(sessionId: string, byId: string): Promise<SessionInfo> {
    const { sessions, recorder, breakouts, controls, hands, moderation, notifier, media, collab, log } =
      this.deps;
    const current = await sessions.require(sessionId);
    const classId = current.classId;
    // Breakouts first, so people in groups hear about the end in their group and the main room.
    await breakouts.closeOpen(classId, 'the session ended');
    const session = await sessions.end(sessionId);
    await recorder.sessionEnded(session);
    await hands.lowerAll(classId, byId);
    await controls.reset(classId);
    await moderation.sessionEnded(classId, byId);
    notifier.toClass(classId, { type: 'session', sessionId, state: 'ended', byId });
    if (media.available) await media.closeClass(classId, 'the session has ended');
    collab.hocuspocus.flushPendingStores();
    const at = session.endedAt ? Date.parse(session.endedAt) : Date.now();
    this.deps.events.emit('sessionEnded', { classId, sessionId, at, byId });
    this.deps.events.emit('attendanceReady', { classId, sessionId, at });
    log.info({ classId, sessionId }, 'session ended');
    return session;
  }
}
