// Camera and microphone access: listing devices, opening them with the chosen ids, and turning the
// browser's errors into sentences that say what to do.

export interface DeviceChoice {
  micId: string | null;
  camId: string | null;
}

export interface DeviceLists {
  mics: MediaDeviceInfo[];
  cams: MediaDeviceInfo[];
}

export type MediaAccessError =
  | { kind: 'denied'; message: string }
  | { kind: 'missing'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'insecure'; message: string }
  | { kind: 'other'; message: string };

export function describeMediaError(
  error: unknown,
  what: 'camera' | 'microphone' | 'camera and microphone' | 'screen',
): MediaAccessError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return what === 'screen'
        ? { kind: 'denied', message: 'Screen sharing was cancelled or blocked.' }
        : {
            kind: 'denied',
            message: `Access to your ${what} is blocked. Allow it in the browser's address bar (site settings), then try again.`,
          };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { kind: 'missing', message: `No ${what} found. Connect one, or join without it.` };
    case 'NotReadableError':
    case 'AbortError':
      return { kind: 'busy', message: `Your ${what} is in use by another application or could not start.` };
    case 'TypeError':
      return { kind: 'insecure', message: 'Camera and microphone need a secure (https) page.' };
    default:
      return {
        kind: 'other',
        message: `Could not open your ${what}: ${error instanceof Error ? error.message : String(error)}`,
      };
  }
}

export async function listDevices(): Promise<DeviceLists> {
  if (!navigator.mediaDevices?.enumerateDevices) return { mics: [], cams: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    mics: all.filter((d) => d.kind === 'audioinput'),
    cams: all.filter((d) => d.kind === 'videoinput'),
  };
}

export function cameraConstraints(camId: string | null): MediaTrackConstraints {
  return {
    ...(camId ? { deviceId: { exact: camId } } : {}),
    width: { ideal: 1280 },
    height: { ideal: 720 },
    frameRate: { ideal: 24 },
  };
}

export function micConstraints(micId: string | null): MediaTrackConstraints {
  return {
    ...(micId ? { deviceId: { exact: micId } } : {}),
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };
}

export async function openTrack(kind: 'mic' | 'cam', choice: DeviceChoice): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) throw new TypeError('getUserMedia unavailable');
  const stream = await navigator.mediaDevices.getUserMedia(
    kind === 'mic' ? { audio: micConstraints(choice.micId) } : { video: cameraConstraints(choice.camId) },
  );
  const track = stream.getTracks()[0];
  if (!track) throw new DOMException('no track', 'NotFoundError');
  return track;
}

export async function openScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { ideal: 15 } },
    audio: false,
  });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new DOMException('no track', 'NotFoundError');
  return track;
}
