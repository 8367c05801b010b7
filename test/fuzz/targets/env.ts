// What case generators draw on besides their random stream: the token mint, the witnesses' client ids and
// (for media) the router's RTP capabilities read from the server at start.
import type { FuzzCase } from '../cases.ts';
import type { FrameContext } from '../collabFrames.ts';
import type { TokenMint } from '../identities.ts';
import type { Rng } from '../prng.ts';

export interface TargetEnv {
  mint: TokenMint;
  frames: FrameContext;
  rtpCapabilities: unknown;
}

export type CaseGenerator = (rng: Rng, env: TargetEnv) => Promise<FuzzCase>;

export const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
