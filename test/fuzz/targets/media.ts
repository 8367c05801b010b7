// `/media` cases: a join (valid, or mutated), sometimes a real send transport and producer so later requests
// can name them, then one to four requests of any method (or an unknown one) with mutated fields, broken
// JSON or binary frames. Every request with a readable envelope must get a reply with its id.
import { MEDIA_METHODS, MEDIA_PROTOCOL_VERSION, MEDIA_SOURCES, PUBLISH_POLICIES } from '@tandem/shared';
import type { WsCase, WsStep } from '../cases.ts';
import { describeWho, pickWho, type Who, WITNESS_CLASS } from '../identities.ts';
import { damageText, mutateJson } from '../mutate.ts';
import type { Rng } from '../prng.ts';
import type { CaseGenerator, TargetEnv } from './env.ts';

const OPUS = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'fuzz', reducedSize: true },
};
const VP8 = {
  mid: '1',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 101,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }],
    },
  ],
  headerExtensions: [],
  encodings: [
    { ssrc: 2222, rid: 'r0', maxBitrate: 100000 },
    { ssrc: 3333, rid: 'r1', scalabilityMode: 'L1T3' },
  ],
  rtcp: { cname: 'fuzz' },
};
const DTLS = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

/** Valid-shaped `data` for each method; `$T`/`$P`/`$C`/`$PEER` are filled from earlier replies. */
function dataFor(rng: Rng, method: string, token: string, env: TargetEnv, classId: string): unknown {
  switch (method) {
    case 'join':
      return { protocol: MEDIA_PROTOCOL_VERSION, token, classId, rtpCapabilities: env.rtpCapabilities };
    case 'createTransport':
      return { direction: rng.pick(['send', 'recv']) };
    case 'connectTransport':
      return { transportId: '$T', dtlsParameters: DTLS };
    case 'restartIce':
      return { transportId: '$T' };
    case 'produce':
      return rng.chance(0.6)
        ? { transportId: '$T', kind: 'audio', source: 'mic', rtpParameters: OPUS }
        : {
            transportId: '$T',
            kind: 'video',
            source: rng.pick(MEDIA_SOURCES),
            rtpParameters: VP8,
            paused: rng.chance(0.5),
          };
    case 'pauseProducer':
    case 'resumeProducer':
    case 'closeProducer':
    case 'consume':
      return { producerId: '$P' };
    case 'resumeConsumer':
    case 'pauseConsumer':
      return { consumerId: '$C' };
    case 'setPreferredLayers':
      return { consumerId: '$C', spatialLayer: rng.int(0, 3), temporalLayer: rng.int(0, 3) };
    case 'setPublishPolicy':
      return { policy: rng.pick(PUBLISH_POLICIES) };
    case 'mutePeer':
    case 'stopScreenShare':
    case 'removePeer':
      return { peerId: '$PEER' };
    case 'muteAll':
      return { includeStaff: rng.chance(0.5) };
    case 'refreshToken':
      return { token };
    default:
      return {};
  }
}

function requestStep(rng: Rng, id: number, method: string, data: unknown, mutate: boolean): WsStep {
  const envelope = { id, method, data };
  if (!mutate) return { text: JSON.stringify(envelope), how: `valid ${method}` };
  const choice = rng.weighted<string>([
    [7, 'json'],
    [2, 'text'],
    [1, 'binary'],
  ]);
  if (choice === 'binary')
    return { hex: Buffer.from(JSON.stringify(envelope)).toString('hex'), how: `${method} as a binary frame` };
  const m = mutateJson(rng, envelope as never);
  if (choice === 'text') {
    const d = damageText(rng, m.text);
    return { text: d.text, how: `${method} mutated ${m.how} then ${d.how}` };
  }
  return { text: m.text, how: `${method} mutated ${m.how}` };
}

function joinable(who: Who): boolean {
  return who.kind !== 'none';
}

export const mediaCase: CaseGenerator = async (rng, env) => {
  const who = await pickWho(rng, env.mint);
  const token = await env.mint.tokenOf(who);
  // Mostly the token's own class; sometimes another, which must be refused.
  const classId = who.kind === 'user' && rng.chance(0.9) ? who.cls : WITNESS_CLASS;
  const steps: WsStep[] = [];
  let id = rng.weighted([
    [9, 1],
    [1, Number.MAX_SAFE_INTEGER - 10],
  ]);
  if (joinable(who)) {
    const step = requestStep(rng, id++, 'join', dataFor(rng, 'join', token, env, classId), rng.chance(0.15));
    steps.push({ ...step, how: `${describeWho(who)}: ${step.how}`, awaitReply: true });
    if (rng.chance(0.5))
      steps.push({
        ...requestStep(rng, id++, 'createTransport', { direction: 'send' }, false),
        awaitReply: true,
      });
    if (rng.chance(0.3))
      steps.push({
        ...requestStep(rng, id++, 'produce', dataFor(rng, 'produce', token, env, classId), false),
        awaitReply: true,
      });
  }
  for (let i = rng.int(1, 4); i > 0; i--) {
    const method = rng.weighted<string>([
      [12, rng.pick(MEDIA_METHODS)],
      [1, rng.pick(['fly', '', 'JOIN', '__proto__', 'constructor', 'x'.repeat(65)])],
    ]);
    const reqId = rng.weighted([
      [8, id++],
      [1, id - 1],
      [1, rng.pick([0, -1, 1.5, 2 ** 53])],
    ]);
    steps.push(requestStep(rng, reqId, method, dataFor(rng, method, token, env, classId), rng.chance(0.7)));
  }
  const c: WsCase = { kind: 'ws', target: 'media', path: '/media', steps, expectReplies: true };
  return c;
};
