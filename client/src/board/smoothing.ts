// Freehand stroke smoothing in two steps: "streamline" pulls each input point towards the previous smoothed
// one (removes hand jitter as the person draws), and the path is drawn as quadratic curves through the
// midpoints of consecutive points (no corners between samples). Points are flat [x0, y0, x1, y1, ...].

/** Exponential smoothing of a new input point; `amount` 0 = raw input, towards 1 = heavy smoothing. */
export function streamlinePoint(
  previous: readonly [number, number] | null,
  input: readonly [number, number],
  amount = 0.5,
) {
  if (!previous) return [input[0], input[1]] as const;
  const t = 1 - Math.min(Math.max(amount, 0), 0.95);
  return [previous[0] + (input[0] - previous[0]) * t, previous[1] + (input[1] - previous[1]) * t] as const;
}

/** Drops points closer than `minDistance` to the last kept point (keeps the last input point). */
export function dropClosePoints(points: readonly number[], minDistance: number): number[] {
  if (points.length <= 4) return [...points];
  const out = [points[0]!, points[1]!];
  const minSq = minDistance * minDistance;
  for (let i = 2; i < points.length - 2; i += 2) {
    const dx = points[i]! - out[out.length - 2]!;
    const dy = points[i + 1]! - out[out.length - 1]!;
    if (dx * dx + dy * dy >= minSq) out.push(points[i]!, points[i + 1]!);
  }
  out.push(points[points.length - 2]!, points[points.length - 1]!);
  return out;
}

export type PathCommand =
  | { op: 'M'; x: number; y: number }
  | { op: 'L'; x: number; y: number }
  | { op: 'Q'; cx: number; cy: number; x: number; y: number };

/** Curve commands for a smoothed stroke through `points`, offset by (`ox`, `oy`). */
export function smoothPathCommands(points: readonly number[], ox = 0, oy = 0): PathCommand[] {
  const n = Math.floor(points.length / 2);
  if (n === 0) return [];
  const px = (i: number) => points[2 * i]! + ox;
  const py = (i: number) => points[2 * i + 1]! + oy;
  const commands: PathCommand[] = [{ op: 'M', x: px(0), y: py(0) }];
  if (n === 1) {
    // A dot: a zero-length line that round caps draw as a circle.
    commands.push({ op: 'L', x: px(0) + 0.01, y: py(0) });
    return commands;
  }
  if (n === 2) {
    commands.push({ op: 'L', x: px(1), y: py(1) });
    return commands;
  }
  for (let i = 1; i < n - 1; i++) {
    const mx = (px(i) + px(i + 1)) / 2;
    const my = (py(i) + py(i + 1)) / 2;
    commands.push({ op: 'Q', cx: px(i), cy: py(i), x: mx, y: my });
  }
  commands.push({ op: 'L', x: px(n - 1), y: py(n - 1) });
  return commands;
}

/** The same commands as an SVG path `d` attribute (numbers rounded to 0.01). */
export function toSvgPath(commands: readonly PathCommand[]): string {
  const r = (v: number) => Math.round(v * 100) / 100;
  return commands
    .map((c) => (c.op === 'Q' ? `Q${r(c.cx)} ${r(c.cy)} ${r(c.x)} ${r(c.y)}` : `${c.op}${r(c.x)} ${r(c.y)}`))
    .join(' ');
}

/** Replays the commands onto a canvas path (Path2D or a context). */
export function tracePath(
  target: Pick<CanvasPath, 'moveTo' | 'lineTo' | 'quadraticCurveTo'>,
  commands: readonly PathCommand[],
): void {
  for (const c of commands) {
    if (c.op === 'M') target.moveTo(c.x, c.y);
    else if (c.op === 'L') target.lineTo(c.x, c.y);
    else target.quadraticCurveTo(c.cx, c.cy, c.x, c.y);
  }
}
