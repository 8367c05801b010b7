// Creates a mediasoup-client transport from the server's parameters and wires its events to signaling:
// DTLS connect, produce (with our source label), and an ICE restart when the connection fails.
import type { Device, types } from 'mediasoup-client';
import type { MediaSignaling } from './MediaSignaling.ts';

export async function createMediaTransport(
  signaling: MediaSignaling,
  device: Device,
  direction: 'send' | 'recv',
  onUnrecoverable: () => void,
): Promise<types.Transport> {
  const params = await signaling.request('createTransport', { direction });
  const options = {
    id: params.transportId,
    iceParameters: params.iceParameters as types.IceParameters,
    iceCandidates: params.iceCandidates as types.IceCandidate[],
    dtlsParameters: params.dtlsParameters as types.DtlsParameters,
  };
  const transport =
    direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    signaling
      .request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
      .then(() => done(), fail);
  });
  transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
    const source = appData.source as 'mic' | 'camera' | 'screen';
    signaling
      .request('produce', { transportId: transport.id, kind, source, rtpParameters: rtpParameters as never })
      .then(({ producerId }) => done({ id: producerId }), fail);
  });
  transport.on('connectionstatechange', (state) => {
    if (state !== 'failed') return;
    signaling
      .request('restartIce', { transportId: transport.id })
      .then(({ iceParameters }) =>
        transport.restartIce({ iceParameters: iceParameters as types.IceParameters }),
      )
      .catch(onUnrecoverable);
  });
  return transport;
}
