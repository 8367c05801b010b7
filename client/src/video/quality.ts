// Connection quality from WebRTC stats: packet loss over the last interval, jitter and round-trip time,
// folded into good / ok / poor for a three-bar indicator.

export type Quality = 'good' | 'ok' | 'poor' | 'unknown';

export interface StatsSample {
  packetsReceived: number;
  packetsLost: number;
  /** Seconds. */
  jitter: number | null;
  /** Seconds. */
  roundTripTime: number | null;
}

/** Reads the inbound-rtp and candidate-pair numbers we need from a stats report. */
export function sampleFromReport(report: RTCStatsReport): StatsSample {
  const sample: StatsSample = { packetsReceived: 0, packetsLost: 0, jitter: null, roundTripTime: null };
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp') {
      sample.packetsReceived += Number(s.packetsReceived ?? 0);
      sample.packetsLost += Number(s.packetsLost ?? 0);
      if (typeof s.jitter === 'number') sample.jitter = Math.max(sample.jitter ?? 0, s.jitter);
    } else if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') {
      sample.roundTripTime = s.currentRoundTripTime;
    }
  });
  return sample;
}

/** Quality between two samples: loss in the interval dominates, jitter and RTT can lower it. */
export function qualityBetween(previous: StatsSample | null, current: StatsSample): Quality {
  if (!previous) return 'unknown';
  const received = current.packetsReceived - previous.packetsReceived;
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  if (received + lost === 0) return 'unknown';
  const loss = lost / (received + lost);
  const jitterMs = (current.jitter ?? 0) * 1000;
  const rttMs = (current.roundTripTime ?? 0) * 1000;
  if (loss > 0.08 || jitterMs > 80 || rttMs > 500) return 'poor';
  if (loss > 0.02 || jitterMs > 30 || rttMs > 250) return 'ok';
  return 'good';
}
