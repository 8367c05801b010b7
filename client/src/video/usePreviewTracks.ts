// Before joining: the devices to choose from and the microphone/camera tracks being tried out, with the
// browser's refusals turned into messages. The tracks are handed over to the call on join.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type DeviceChoice,
  type DeviceLists,
  describeMediaError,
  listDevices,
  openTrack,
} from './devices.ts';

export interface PreviewTracks {
  devices: DeviceLists;
  choice: DeviceChoice;
  mic: MediaStreamTrack | null;
  cam: MediaStreamTrack | null;
  error: string | null;
  setEnabled(kind: 'mic' | 'cam', on: boolean): Promise<void>;
  choose(kind: 'mic' | 'cam', deviceId: string): Promise<void>;
  /** Gives the tracks away (to the call): the preview no longer stops them. */
  take(): { mic: MediaStreamTrack | null; cam: MediaStreamTrack | null };
}

export function usePreviewTracks(): PreviewTracks {
  const [devices, setDevices] = useState<DeviceLists>({ mics: [], cams: [] });
  const [choice, setChoice] = useState<DeviceChoice>({ micId: null, camId: null });
  const [tracks, setTracks] = useState<{ mic: MediaStreamTrack | null; cam: MediaStreamTrack | null }>({
    mic: null,
    cam: null,
  });
  const [error, setError] = useState<string | null>(null);
  const owned = useRef(tracks);
  owned.current = tracks;

  const refreshDevices = useCallback(() => void listDevices().then(setDevices, () => undefined), []);
  useEffect(() => {
    refreshDevices();
    navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
    return () => {
      navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
      owned.current.mic?.stop();
      owned.current.cam?.stop();
    };
  }, [refreshDevices]);

  const open = useCallback(
    async (kind: 'mic' | 'cam', nextChoice: DeviceChoice) => {
      setError(null);
      try {
        const track = await openTrack(kind, nextChoice);
        setTracks((t) => {
          t[kind]?.stop();
          return { ...t, [kind]: track };
        });
        refreshDevices(); // labels appear once permission is granted
      } catch (e) {
        setError(describeMediaError(e, kind === 'mic' ? 'microphone' : 'camera').message);
      }
    },
    [refreshDevices],
  );

  const setEnabled = useCallback(
    async (kind: 'mic' | 'cam', on: boolean) => {
      if (on) return open(kind, choice);
      setTracks((t) => {
        t[kind]?.stop();
        return { ...t, [kind]: null };
      });
    },
    [open, choice],
  );

  const choose = useCallback(
    async (kind: 'mic' | 'cam', deviceId: string) => {
      const next = kind === 'mic' ? { ...choice, micId: deviceId } : { ...choice, camId: deviceId };
      setChoice(next);
      if (owned.current[kind]) await open(kind, next);
    },
    [choice, open],
  );

  const take = useCallback(() => {
    const given = owned.current;
    owned.current = { mic: null, cam: null };
    setTracks({ mic: null, cam: null });
    return given;
  }, []);

  return { devices, choice, mic: tracks.mic, cam: tracks.cam, error, setEnabled, choose, take };
}
