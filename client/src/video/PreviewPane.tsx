// The pre-join screen: try the camera and microphone, pick devices, then join (or join to listen only).
import { useRef } from 'react';
import { Icon } from '../ui/icons.tsx';
import { usePreviewTracks } from './usePreviewTracks.ts';
import { useTrack } from './useTileMedia.ts';

export interface PreviewPaneProps {
  canPublish: { mic: boolean; cam: boolean };
  busy: boolean;
  onJoin(tracks: { mic: MediaStreamTrack | null; cam: MediaStreamTrack | null }): void;
}

export function PreviewPane({ canPublish, busy, onJoin }: PreviewPaneProps) {
  const preview = usePreviewTracks();
  const videoRef = useRef<HTMLVideoElement>(null);
  useTrack(videoRef, preview.cam);
  const listenOnly = !canPublish.mic && !canPublish.cam;
  return (
    <div className="preview" data-testid="video-preview">
      {!listenOnly && (
        <>
          <div className="video-tile self">
            {preview.cam ? (
              <video ref={videoRef} autoPlay playsInline muted className="mirror" />
            ) : (
              <div className="tile-avatar muted">Camera off</div>
            )}
          </div>
          <div className="device-row">
            {canPublish.mic && (
              <button
                type="button"
                className={preview.mic ? 'device-toggle on' : 'device-toggle'}
                aria-pressed={preview.mic !== null}
                title={preview.mic ? 'Microphone on: click to turn off' : 'Microphone off: click to try it'}
                onClick={() => void preview.setEnabled('mic', preview.mic === null)}
                data-testid="preview-mic"
              >
                <Icon name={preview.mic ? 'mic' : 'micOff'} /> Mic
              </button>
            )}
            {canPublish.cam && (
              <button
                type="button"
                className={preview.cam ? 'device-toggle on' : 'device-toggle'}
                aria-pressed={preview.cam !== null}
                title={preview.cam ? 'Camera on: click to turn off' : 'Camera off: click to try it'}
                onClick={() => void preview.setEnabled('cam', preview.cam === null)}
                data-testid="preview-cam"
              >
                <Icon name={preview.cam ? 'cam' : 'camOff'} /> Camera
              </button>
            )}
          </div>
          {preview.devices.mics.length > 1 && (
            <label>
              Microphone
              <select
                value={preview.choice.micId ?? ''}
                onChange={(e) => void preview.choose('mic', e.target.value)}
              >
                {preview.devices.mics.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Microphone ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          )}
          {preview.devices.cams.length > 1 && (
            <label>
              Camera
              <select
                value={preview.choice.camId ?? ''}
                onChange={(e) => void preview.choose('cam', e.target.value)}
              >
                {preview.devices.cams.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || `Camera ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
      {preview.error && (
        <p className="media-error" role="alert">
          {preview.error}
        </p>
      )}
      {listenOnly && (
        <p className="media-note">You can listen and watch; your role does not send audio or video.</p>
      )}
      <div className="preview-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => onJoin(preview.take())}
          data-testid="join-call"
        >
          {listenOnly ? 'Join to listen' : 'Join call'}
        </button>
      </div>
    </div>
  );
}
