// Polls a condition until it holds (or throws its last error after the timeout): no bare sleeps in tests.
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  {
    timeoutMs = 5000,
    intervalMs = 10,
    message,
  }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Exclude<T, false | null | undefined>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      if (lastError) throw lastError;
      throw new Error(`waitFor timed out after ${timeoutMs} ms${message ? `: ${message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
