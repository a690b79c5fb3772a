// Reconnecting after the server went away: wait 1 s, 2 s, 4 s ... up to 15 s between tries, with
// a little jitter so several tabs do not knock at once. Pure, tested in test/backoff.test.ts.

export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
