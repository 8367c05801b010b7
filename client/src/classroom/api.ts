// The classroom REST API from the browser: every call carries the page's class token as a bearer header;
// errors become ApiError with the server's code and message (shown to people as they are).
import type {
  AttendanceReport,
  BreakoutTokenReply,
  BreakoutView,
  ChatMessage,
  ChatRoomStatus,
  ClassLocks,
  ClassState,
  CreateBreakoutsBody,
  HandEntry,
  MarkNotificationsBody,
  MarkNotificationsReply,
  NotificationsReply,
  PersonActionBody,
  PersonActionResult,
  PersonModeration,
  PublishPolicy,
  SessionInfo,
} from '@tandem/shared';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's Retry-After (seconds), when a refusal carries one. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One JSON call with the bearer token; a refusal becomes ApiError with the server's code and message. */
export async function requestJson<T>(
  token: string | null,
  method: Method,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'internal',
      error?.message ?? `request failed (${response.status})`,
      retryAfterOf(response.headers.get('retry-after')),
    );
  }
  return json as T;
}

/** Retry-After in seconds (delta-seconds only: the API sends no dates). */
function retryAfterOf(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

export class ClassroomApi {
  constructor(
    private readonly token: () => string | null,
    readonly classId: string,
  ) {}

  request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.token(), method, path, body);
  }

  private get base(): string {
    return `/api/classes/${encodeURIComponent(this.classId)}`;
  }

  private room(room: string): string {
    return `${this.base}/chat/${encodeURIComponent(room)}`;
  }

  state = () => this.request<ClassState>('GET', `${this.base}/state`);

  /** `clientId` names this message: sending it again (after a network error) posts nothing new. */
  sendChat = (room: string, text: string, replyTo: string | null, clientId: string) =>
    this.request<{ message: ChatMessage }>('POST', `${this.room(room)}/messages`, {
      text,
      replyTo,
      clientId,
    });
  editChat = (room: string, id: string, text: string) =>
    this.request<{ message: ChatMessage }>('PATCH', `${this.room(room)}/messages/${id}`, { text });
  deleteChat = (room: string, id: string) =>
    this.request<{ message: ChatMessage }>('DELETE', `${this.room(room)}/messages/${id}`);
  react = (room: string, id: string, reaction: string, on: boolean) =>
    this.request<{ message: ChatMessage }>('PUT', `${this.room(room)}/messages/${id}/reactions`, {
      reaction,
      on,
    });
  chatStatus = (room: string) => this.request<ChatRoomStatus>('GET', `${this.room(room)}/status`);
  markRead = (room: string, seq: number) =>
    this.request<{ readSeq: number }>('PUT', `${this.room(room)}/read`, { seq });
  searchChat = (room: string, q: string) =>
    this.request<{ messages: ChatMessage[] }>('GET', `${this.room(room)}/search?q=${encodeURIComponent(q)}`);
  setSlowMode = (room: string, seconds: number) =>
    this.request('PUT', `${this.room(room)}/slow-mode`, { seconds });
  muteInChat = (userId: string, muted: boolean) =>
    this.request('PUT', `${this.base}/chat-mutes/${encodeURIComponent(userId)}`, { muted });

  raiseHand = () => this.request<{ queue: HandEntry[] }>('POST', `${this.base}/hands`);
  lowerHand = (userId: string) =>
    this.request<{ queue: HandEntry[] }>('DELETE', `${this.base}/hands/${encodeURIComponent(userId)}`);
  lowerAllHands = () => this.request<{ queue: HandEntry[] }>('DELETE', `${this.base}/hands`);

  setLocks = (patch: Partial<ClassLocks>) =>
    this.request<{ locks: ClassLocks }>('PUT', `${this.base}/locks`, patch);
  setFollowMe = (on: boolean) => this.request('PUT', `${this.base}/follow`, { on });
  setStage = (on: boolean) => this.request('PUT', `${this.base}/stage`, { on });
  setSpotlight = (userId: string | null) => this.request('PUT', `${this.base}/spotlight`, { userId });
  muteAll = () => this.request<{ paused: number }>('POST', `${this.base}/mute-all`);
  announce = (text: string) => this.request('POST', `${this.base}/announcements`, { text });

  person = (userId: string) =>
    this.request<{ person: PersonModeration }>('GET', `${this.base}/people/${encodeURIComponent(userId)}`);
  actOn = (userId: string, body: PersonActionBody) =>
    this.request<PersonActionResult>(
      'POST',
      `${this.base}/people/${encodeURIComponent(userId)}/actions`,
      body,
    );
  letBackIn = (userId: string) =>
    this.request('DELETE', `${this.base}/removals/${encodeURIComponent(userId)}`);
  setPublishPolicy = (policy: PublishPolicy) =>
    this.request<{ policy: PublishPolicy; producersClosed: number }>('PUT', `${this.base}/publish-policy`, {
      policy,
    });

  /** Starts a new session now; `record`: it records from its start (docs/recording.md). */
  startSession = (record = false) =>
    this.request<{ session: SessionInfo }>('POST', `${this.base}/sessions`, { startNow: true, record });
  endSession = (sessionId: string) =>
    this.request<{ session: SessionInfo }>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/end`);
  attendance = (sessionId: string) =>
    this.request<AttendanceReport>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/attendance`);

  async attendanceCsv(sessionId: string): Promise<Blob> {
    const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/attendance?format=csv`, {
      headers: { authorization: `Bearer ${this.token() ?? ''}` },
    });
    if (!response.ok) throw new ApiError(response.status, 'internal', 'could not download attendance');
    return response.blob();
  }

  openBreakouts = (body: CreateBreakoutsBody) =>
    this.request<{ breakouts: BreakoutView }>('POST', `${this.base}/breakouts`, body);
  closeBreakouts = () => this.request('POST', `${this.base}/breakouts/close`);
  breakoutToken = (groupId?: string) =>
    this.request<BreakoutTokenReply>('POST', `${this.base}/breakouts/token`, groupId ? { groupId } : {});
  broadcast = (text: string) => this.request('POST', `${this.base}/breakouts/broadcast`, { text });

  notifications = (limit: number) =>
    this.request<NotificationsReply>('GET', `${this.base}/notifications?limit=${limit}`);
  markNotificationsRead = (body: MarkNotificationsBody) =>
    this.request<MarkNotificationsReply>('POST', `${this.base}/notifications/read`, body);
}
