// The replay page's one clock, on the server's time (epoch ms). With a recording the media element is the
// master while the time lies within the recording (t = startedAt + currentTime * 1000; play, pause, seek and
// speed go through the element); elsewhere, or with no recording, an internal clock runs at the chosen speed.
// Everything else (documents, chat, the scrubber) reads `time` and listens for changes.

/** The part of HTMLMediaElement the clock drives (so tests can pass a fake). */
export interface MediaLike {
  currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
  readonly ended: boolean;
  playbackRate: number;
  play(): Promise<void> | void;
  pause(): void;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export const REPLAY_SPEEDS = [0.5, 1, 1.5, 2, 3] as const;
export const MIN_SPEED = 0.5;
export const MAX_SPEED = 3;

/** Why listeners are called: a jump (documents reload) or a change of play state or speed. */
export type ClockChange = 'seek' | 'state';

interface MediaAttachment {
  element: MediaLike;
  startedAt: number;
  detach(): void;
}

export class ReplayClock {
  readonly from: number;
  readonly to: number;
  #playing = false;
  #rate = 1;
  /** Internal clock: the time at `#anchorWall` (a reading of `now`). */
  #anchorTime: number;
  #anchorWall: number;
  #media: MediaAttachment | null = null;
  /** Whether the media element is the master right now (the time lies within the recording). */
  #onMedia = false;
  readonly #listeners = new Set<(change: ClockChange) => void>();

  constructor(
    range: { from: number; to: number },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.from = range.from;
    this.to = Math.max(range.from, range.to);
    this.#anchorTime = this.from;
    this.#anchorWall = now();
  }

  get playing(): boolean {
    return this.#playing;
  }

  get rate(): number {
    return this.#rate;
  }

  /** Whether the time is read from the media element at the moment. */
  get mediaIsMaster(): boolean {
    return this.#onMedia;
  }

  /** The logical time (whole epoch ms), within [from, to]. */
  get time(): number {
    const media = this.#media;
    if (media && this.#onMedia) return this.#clamp(media.startedAt + media.element.currentTime * 1000);
    const t = this.#playing
      ? this.#anchorTime + (this.now() - this.#anchorWall) * this.#rate
      : this.#anchorTime;
    return this.#clamp(t);
  }

  subscribe(listener: (change: ClockChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  play(): void {
    if (this.time >= this.to) this.seek(this.from);
    this.#setInternal(this.time);
    this.#playing = true;
    if (this.#onMedia) this.#playMedia();
    this.#emit('state');
  }

  pause(): void {
    this.#setInternal(this.time);
    this.#playing = false;
    if (this.#onMedia) this.#media?.element.pause();
    this.#emit('state');
  }

  toggle(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  seek(t: number): void {
    const target = this.#clamp(t);
    const media = this.#media;
    this.#setInternal(target);
    if (media && this.#inRecording(target)) {
      this.#onMedia = true;
      media.element.currentTime = (target - media.startedAt) / 1000;
      if (this.#playing && media.element.paused) this.#playMedia();
    } else {
      if (media && !media.element.paused) media.element.pause();
      this.#onMedia = false;
    }
    this.#emit('seek');
  }

  /** Moves by `deltaMs` from the current time. */
  skip(deltaMs: number): void {
    this.seek(this.time + deltaMs);
  }

  setRate(rate: number): void {
    this.#setInternal(this.time);
    this.#rate = Math.min(MAX_SPEED, Math.max(MIN_SPEED, rate));
    if (this.#media) this.#media.element.playbackRate = this.#rate;
    this.#emit('state');
  }

  /**
   * Called once per animation frame while playing: the internal clock hands over to the recording when the
   * time enters it, and stops at the end.
   */
  tick(): void {
    if (!this.#playing) return;
    const t = this.time;
    const media = this.#media;
    if (!this.#onMedia && media && this.#inRecording(t)) {
      this.#onMedia = true;
      media.element.currentTime = (t - media.startedAt) / 1000;
      this.#playMedia();
    }
    if (t >= this.to) this.pause();
  }

  /**
   * Makes `element` (playing the recording that began at `startedAt`) the master while the time lies within
   * it. Its own controls work too: a seek or pause on the element is a seek or pause of the replay.
   */
  attachMedia(element: MediaLike, startedAt: number): () => void {
    this.#media?.detach();
    // The element's own controls (or anyone) moved or started it: its time lies within the recording, so it
    // becomes the master from here.
    const onSeeked = () => {
      this.#onMedia = true;
      this.#emit('seek');
    };
    const onPlay = () => {
      this.#onMedia = true;
      if (this.#playing) return;
      this.#playing = true;
      this.#emit('state');
    };
    const onPause = () => {
      if (!this.#onMedia || !this.#playing || element.ended) return;
      this.#setInternal(this.time);
      this.#playing = false;
      this.#emit('state');
    };
    const onEnded = () => {
      // The recording is over; the class may have gone on: the internal clock carries on from here.
      const t = this.time;
      this.#onMedia = false;
      this.#setInternal(t);
      if (t >= this.to) this.#playing = false;
      this.#emit('state');
    };
    const events: [string, () => void][] = [
      ['seeked', onSeeked],
      ['play', onPlay],
      ['pause', onPause],
      ['ended', onEnded],
    ];
    for (const [type, listener] of events) element.addEventListener(type, listener);
    element.playbackRate = this.#rate;
    const attachment: MediaAttachment = {
      element,
      startedAt,
      detach: () => {
        for (const [type, listener] of events) element.removeEventListener(type, listener);
      },
    };
    this.#media = attachment;
    const t = this.time;
    if (this.#inRecording(t)) {
      this.#onMedia = true;
      element.currentTime = (t - startedAt) / 1000;
      // The next recording of a session, attached while the replay plays on: it takes over at once.
      if (this.#playing) this.#playMedia();
    }
    return () => {
      if (this.#media !== attachment) return;
      this.#setInternal(this.time);
      attachment.detach();
      this.#media = null;
      this.#onMedia = false;
    };
  }

  /** Plays the element; if the browser refuses (autoplay rules), the replay pauses instead of running mute. */
  #playMedia(): void {
    const media = this.#media;
    if (!media) return;
    Promise.resolve(media.element.play()).catch(() => {
      if (this.#media !== media || !this.#onMedia || !this.#playing) return;
      this.#setInternal(this.time);
      this.#playing = false;
      this.#emit('state');
    });
  }

  #inRecording(t: number): boolean {
    const media = this.#media;
    if (!media) return false;
    const duration = Number.isFinite(media.element.duration) ? media.element.duration * 1000 : 0;
    // Before the metadata is known the recording is taken to start there and run on.
    return t >= media.startedAt && (duration === 0 || t < media.startedAt + duration);
  }

  #setInternal(t: number): void {
    this.#anchorTime = t;
    this.#anchorWall = this.now();
  }

  /** Within the range, in whole milliseconds (the server's times are whole milliseconds). */
  #clamp(t: number): number {
    return Math.round(Math.min(this.to, Math.max(this.from, t)));
  }

  #emit(change: ClockChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
