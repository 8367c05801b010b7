// The classroom's domain events, for the parts that react to what happened in a class rather than take part in
// it: notifications (per-user inbox), webhooks to the course platform and, later, the class timeline. Emitters
// call `emit` after the fact is stored; a listener that throws or rejects is logged and never reaches the emitter.
import type { ChatMessage } from '@tandem/shared';
import type { Logger } from '../logger.ts';

export interface ClassEventMap {
  /** A session went live (`byId`: who started it, null for the course platform or a schedule). */
  sessionStarted: { classId: string; sessionId: string; at: number; byId: string | null };
  /** A session ended; its attendance intervals are closed when this is emitted. */
  sessionEnded: { classId: string; sessionId: string; at: number; byId: string };
  /** Staff announced something to a class (`classId` is the main class; breakout broadcasts included). */
  announcement: { classId: string; text: string; at: number; by: { id: string | null; name: string } };
  /**
   * A chat message was posted in `classId` (a main class or a breakout group of `rootClassId`). `threadAuthorId`
   * is the author of the thread's first message when the message is a reply.
   */
  chatPosted: {
    classId: string;
    rootClassId: string;
    room: string;
    message: ChatMessage;
    threadAuthorId: string | null;
  };
  /** The attendance report of an ended session is final (emitted right after sessionEnded). */
  attendanceReady: { classId: string; sessionId: string; at: number };
  /** A poll or quiz was launched in a class (main class id; `sessionId` null outside a live session). */
  pollStarted: {
    classId: string;
    sessionId: string | null;
    pollId: string;
    title: string;
    at: number;
    byId: string | null;
  };
  /** A poll or quiz closed (by staff, its timer or the session's end); its results are final. */
  pollClosed: { classId: string; sessionId: string | null; pollId: string; title: string; at: number };
  /** Staff locked or unlocked a class's code or board (one event per switch that changed). */
  lockChanged: {
    classId: string;
    target: 'code' | 'board';
    locked: boolean;
    at: number;
    by: { id: string | null; name: string } | null;
  };
  /** Follow-me or a spotlight started, moved to another document, or ended in a class. */
  followChanged: {
    classId: string;
    mode: 'follow' | 'spotlight';
    action: 'started' | 'moved' | 'ended';
    /** The spotlit workspace; null for follow-me (the files a leader opens are the timeline's `file` events). */
    document: string | null;
    at: number;
    by: { id: string | null; name: string } | null;
  };
}

export type ClassEventName = keyof ClassEventMap;
type Listener<K extends ClassEventName> = (event: ClassEventMap[K]) => void | Promise<void>;

export class ClassEvents {
  private readonly listeners = new Map<ClassEventName, Set<Listener<never>>>();

  constructor(private readonly log: Logger) {}

  on<K extends ClassEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends ClassEventName>(name: K, event: ClassEventMap[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        const result = (listener as Listener<K>)(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.failed(name, error));
      } catch (error) {
        this.failed(name, error);
      }
    }
  }

  private failed(name: ClassEventName, error: unknown): void {
    this.log.error({ err: error, event: name }, 'class event listener failed');
  }
}
