/** stroke-dasharray for a ring of `radius` filled to `value` (0..1, clamped). */
export function ringDash(value: number, radius: number): string {
  const circumference = 2 * Math.PI * radius;
  const filled = Math.min(1, Math.max(0, value)) * circumference;
  return `${filled.toFixed(2)} ${circumference.toFixed(2)}`;
}
