// Where a worker's WebRtcServer listens and what address it announces in ICE candidates. Pure: the
// network interfaces are passed in so the choice can be tested.
import type { NetworkInterfaceInfo } from 'node:os';
import type { types as ms } from 'mediasoup';

export interface ListenSettings {
  listenIp: string;
  /** First port; worker i listens on `rtcPort + i` (UDP and TCP). 0 picks free ports. */
  rtcPort: number;
  announcedAddress: string | undefined;
}

export interface ListenPlan {
  listenInfos: ms.TransportListenInfo[];
  /** Set when we had to guess the announced address: worth a warning at startup. */
  guessedAddress?: string;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

export function planListenInfos(
  settings: ListenSettings,
  workerIndex: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): ListenPlan {
  let announcedAddress = settings.announcedAddress;
  let guessedAddress: string | undefined;
  // ICE candidates with 0.0.0.0 are useless to a browser: announce a real interface address instead.
  if (!announcedAddress && WILDCARD.has(settings.listenIp)) {
    guessedAddress = firstExternalIpv4(interfaces) ?? '127.0.0.1';
    announcedAddress = guessedAddress;
  }
  const port = settings.rtcPort === 0 ? undefined : settings.rtcPort + workerIndex;
  const base = {
    ip: settings.listenIp,
    ...(announcedAddress ? { announcedAddress } : {}),
    ...(port === undefined ? {} : { port }),
  };
  return {
    listenInfos: [
      { ...base, protocol: 'udp' },
      { ...base, protocol: 'tcp' },
    ],
    ...(guessedAddress ? { guessedAddress } : {}),
  };
}

function firstExternalIpv4(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}
