// Polls and quizzes of a main class: staff create (drafts), edit drafts, launch, close (by hand, by the timer,
// or when the session ends) and show results; students answer and change their answers while a poll is open.
// Every change is stored first, then pushed to the class's pages (a `poll` notice: reload), then emitted as a
// class event (pollStarted / pollClosed: notifications and webhooks).
import crypto from 'node:crypto';
import type {
  ClassNoticeInput,
  PollAnswersBody,
  PollChange,
  PollDefinition,
  PollView,
  UserIdentity,
} from '@tandem/shared';
import type { ClassEvents } from '../classroom/ClassEvents.ts';
import type { ClassNotifier } from '../classroom/ClassNotifier.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { PollRecord, PollStorage } from '../storage/types/polls.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import { answerProblem, grade } from './grading.ts';
import { PollTimers } from './PollTimers.ts';
import { type PollAttendance, pollAttendance } from './pollAttendance.ts';
import { type PollViewer, pollView } from './pollView.ts';

export interface PollServiceDeps {
  store: PollStorage;
  sessions: Pick<SessionStorage, 'live'>;
  notifier: Pick<ClassNotifier, 'toClass' | 'toStaff'>;
  events: Pick<ClassEvents, 'emit' | 'on'>;
  /** Every class id of a main class's pages: the main class and its open breakout groups. */
  audienceOf(rootClassId: string): Promise<string[]>;
  log: Logger;
  now?: () => number;
}

/** The newest this many polls of a class are listed (and searched for the ones the class page shows). */
export const POLLS_LISTED = 50;
/** Staff hear about new answers at most this often per poll (answers arriving together are one notice). */
export const ANSWERS_NOTICE_MS = 300;

/** A closed poll stays on the class page this long (unless staff show its results: then until they hide them). */
export const CLOSED_POLLS_SHOWN_MS = 60 * 60_000;

export type CloseReason = 'staff' | 'timer' | 'session';

export class PollService {
  private readonly now: () => number;
  private readonly timers: PollTimers;
  private readonly answerNotices = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: PollServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.timers = new PollTimers(async (pollId) => {
      try {
        await this.close(pollId, 'timer', null);
      } catch (error) {
        deps.log.error({ err: error, pollId }, 'closing a poll at its timer failed');
      }
    }, this.now);
    deps.events.on('sessionEnded', (e) => this.closeOpen(e.classId));
  }

  /** Re-arms the timers of polls left open by a restart (closing those already due). */
  async start(): Promise<void> {
    for (const poll of await this.deps.store.open()) {
      if (poll.closesAt !== null) this.timers.arm(poll.id, poll.closesAt);
    }
  }

  /** A class this node just took over (a cluster): its open polls' deadlines are timed here too. */
  async armOpenOf(rootClassId: string): Promise<void> {
    for (const poll of await this.deps.store.open()) {
      if (poll.classId === rootClassId && poll.closesAt !== null) this.timers.arm(poll.id, poll.closesAt);
    }
  }

  stop(): void {
    this.timers.clear();
    for (const timer of this.answerNotices.values()) clearTimeout(timer);
    this.answerNotices.clear();
  }

  async create(rootClassId: string, definition: PollDefinition, byId: string | null): Promise<PollRecord> {
    const poll = await this.deps.store.create({
      id: `poll-${crypto.randomBytes(9).toString('base64url')}`,
      classId: rootClassId,
      definition,
      createdBy: byId,
      createdAt: this.now(),
    });
    this.deps.log.info({ classId: rootClassId, pollId: poll.id }, 'poll created');
    await this.tell(poll, 'updated', byId, true);
    return poll;
  }

  /** The poll, if it exists (404 otherwise). */
  async require(pollId: string): Promise<PollRecord> {
    const poll = await this.deps.store.get(pollId);
    if (!poll) throw new AppError('not_found', `no poll ${pollId}`);
    return poll;
  }

  async view(poll: PollRecord, viewer: PollViewer): Promise<PollView> {
    return pollView(poll, await this.deps.store.answers(poll.id), viewer);
  }

  async views(polls: readonly PollRecord[], viewer: PollViewer): Promise<PollView[]> {
    return Promise.all(polls.map((p) => this.view(p, viewer)));
  }

  /** Staff: the class's polls, newest first. */
  list(rootClassId: string): Promise<PollRecord[]> {
    return this.deps.store.list(rootClassId, POLLS_LISTED);
  }

  /**
   * What the class page shows everyone: open polls, those whose results staff show, and those closed in the
   * last CLOSED_POLLS_SHOWN_MS (a quiz's answers and each person's grades appear when it closes).
   */
  async visible(rootClassId: string, viewer: PollViewer): Promise<PollView[]> {
    const since = this.now() - CLOSED_POLLS_SHOWN_MS;
    const polls = (await this.list(rootClassId)).filter(
      (p) => p.state === 'open' || p.shown || (p.closedAt !== null && p.closedAt > since),
    );
    return this.views(polls, viewer);
  }

  ofSession(sessionId: string): Promise<PollRecord[]> {
    return this.deps.store.ofSession(sessionId);
  }

  /** A session's polls and each person's part, for its attendance report. */
  async attendanceOf(sessionId: string): Promise<PollAttendance> {
    const polls = await this.ofSession(sessionId);
    return pollAttendance(
      await Promise.all(
        polls.map(async (poll) => ({ poll, answers: await this.deps.store.answers(poll.id) })),
      ),
    );
  }

  async update(pollId: string, definition: PollDefinition, byId: string | null): Promise<PollRecord> {
    if (!(await this.deps.store.updateDraft(pollId, definition))) {
      await this.require(pollId);
      throw new AppError('conflict', 'only a draft can be edited; create a new poll instead');
    }
    const poll = await this.require(pollId);
    await this.tell(poll, 'updated', byId, true);
    return poll;
  }

  async remove(poll: PollRecord, byId: string | null): Promise<void> {
    if (!(await this.deps.store.removeDraft(poll.id))) {
      throw new AppError('conflict', 'only a draft can be deleted; launched polls are part of the results');
    }
    await this.tell(poll, 'updated', byId, true);
  }

  async launch(pollId: string, byId: string | null): Promise<PollRecord> {
    const draft = await this.require(pollId);
    const at = this.now();
    const session = await this.deps.sessions.live(draft.classId);
    const timer = draft.definition.timerSeconds;
    const closesAt = timer === null ? null : at + timer * 1000;
    if (!(await this.deps.store.launch(pollId, at, session?.id ?? null, closesAt))) {
      throw new AppError('conflict', `the poll is ${draft.state} already; create a new one to ask again`);
    }
    if (closesAt !== null) this.timers.arm(pollId, closesAt);
    const poll = await this.require(pollId);
    await this.tell(poll, 'opened', byId);
    this.deps.events.emit('pollStarted', {
      classId: poll.classId,
      sessionId: poll.sessionId,
      pollId,
      title: poll.definition.title,
      at,
      byId,
    });
    this.deps.log.info({ classId: poll.classId, pollId }, 'poll launched');
    return poll;
  }

  /** Closes an open poll; false when it was not open (closed already, say by its timer). */
  async close(pollId: string, reason: CloseReason, byId: string | null): Promise<boolean> {
    const at = this.now();
    this.timers.disarm(pollId);
    if (!(await this.deps.store.close(pollId, at))) return false;
    const poll = await this.require(pollId);
    await this.tell(poll, 'closed', byId);
    this.deps.events.emit('pollClosed', {
      classId: poll.classId,
      sessionId: poll.sessionId,
      pollId,
      title: poll.definition.title,
      at,
    });
    this.deps.log.info({ classId: poll.classId, pollId, reason }, 'poll closed');
    return true;
  }

  async show(pollId: string, shown: boolean, byId: string | null): Promise<PollRecord> {
    const poll = await this.require(pollId);
    if (poll.state === 'draft') throw new AppError('conflict', 'launch the poll before showing its results');
    await this.deps.store.setShown(pollId, shown);
    const after = { ...poll, shown };
    await this.tell(after, shown ? 'shown' : 'hidden', byId);
    return after;
  }

  /** A student's answers, each replacing their earlier one to the same question. */
  async answer(poll: PollRecord, user: UserIdentity, body: PollAnswersBody): Promise<void> {
    if (poll.state !== 'open')
      throw new AppError('conflict', `the poll is ${poll.state}; answers are not taken`);
    const { definition } = poll;
    const at = this.now();
    // Its timer may not have fired yet, but time is up.
    if (poll.closesAt !== null && poll.closesAt <= at) {
      throw new AppError('conflict', 'time is up; answers are not taken');
    }
    const seen = new Set<number>();
    const rows = body.answers.map(({ question, value }) => {
      const q = definition.questions[question];
      if (!q)
        throw new AppError(
          'bad_request',
          `question ${question}: the poll has ${definition.questions.length}`,
        );
      if (seen.has(question)) throw new AppError('bad_request', `question ${question} is answered twice`);
      seen.add(question);
      const problem = answerProblem(q, value);
      if (problem) throw new AppError('bad_request', `question ${question}: ${problem}`);
      return {
        question,
        userId: user.id,
        name: definition.anonymous ? '' : user.name,
        value,
        correct: grade(definition.kind, q, value),
        updatedAt: at,
      };
    });
    if (!(await this.deps.store.answer(poll.id, rows))) {
      throw new AppError('conflict', 'the poll closed; answers are not taken');
    }
    this.answersArrived(poll);
  }

  /** Staff mark a text or code answer of a quiz that is not anonymous. */
  async mark(poll: PollRecord, question: number, userId: string, correct: boolean | null): Promise<void> {
    const q = poll.definition.questions[question];
    if (!q) throw new AppError('bad_request', `question ${question}: no such question`);
    if (poll.definition.kind !== 'quiz') throw new AppError('bad_request', 'only quiz answers are marked');
    if (poll.definition.anonymous) {
      throw new AppError(
        'forbidden',
        "an anonymous quiz's answers are not tied to anyone; they cannot be marked",
      );
    }
    if (q.type !== 'text' && q.type !== 'code') {
      throw new AppError('bad_request', 'choice answers are graded from the correct options');
    }
    if (!(await this.deps.store.mark(poll.id, question, userId, correct))) {
      throw new AppError('not_found', `${userId} has not answered question ${question}`);
    }
    this.answersArrived(poll);
  }

  /** The session ended: its open polls close (their results are final). */
  async closeOpen(rootClassId: string): Promise<void> {
    for (const poll of await this.deps.store.list(rootClassId, POLLS_LISTED)) {
      if (poll.state === 'open') await this.close(poll.id, 'session', null);
    }
  }

  private answersArrived(poll: PollRecord): void {
    if (this.answerNotices.has(poll.id)) return;
    const timer = setTimeout(() => {
      this.answerNotices.delete(poll.id);
      this.tell(poll, 'answered', null, true).catch((error: unknown) =>
        this.deps.log.warn({ err: error, pollId: poll.id }, 'poll answers notice failed'),
      );
    }, ANSWERS_NOTICE_MS);
    timer.unref?.();
    this.answerNotices.set(poll.id, timer);
  }

  private async tell(
    poll: PollRecord,
    change: PollChange,
    byId: string | null,
    staffOnly = false,
  ): Promise<void> {
    const notice: ClassNoticeInput = {
      type: 'poll',
      pollId: poll.id,
      title: poll.definition.title,
      change,
      byId,
    };
    for (const classId of await this.deps.audienceOf(poll.classId)) {
      if (staffOnly) this.deps.notifier.toStaff(classId, notice);
      else this.deps.notifier.toClass(classId, notice);
    }
  }
}
