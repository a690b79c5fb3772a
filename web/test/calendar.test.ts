import { describe, expect, it } from 'vitest';
import { calendarWeeks, currentStreak } from '../src/lib/calendar';

describe('calendarWeeks', () => {
  it('lays out whole weeks starting on Monday and ending with the current week', () => {
    const weeks = calendarWeeks([], '2026-01-07', 2); // a Wednesday
    expect(weeks).toHaveLength(2);
    expect(weeks[0][0].date).toBe('2025-12-29');
    expect(weeks[1][0].date).toBe('2026-01-05');
    expect(weeks[1][2].today).toBe(true);
    expect(weeks[1][3].future).toBe(true);
  });
  it('marks the days with a session', () => {
    const weeks = calendarWeeks(['2026-01-05', '2026-01-06'], '2026-01-07', 1);
    expect(weeks[0].filter((d) => d.rolled).map((d) => d.date)).toEqual(['2026-01-05', '2026-01-06']);
  });
  it('crosses month and year ends', () => {
    const weeks = calendarWeeks([], '2026-03-01', 1); // a Sunday
    expect(weeks[0].map((d) => d.date)).toEqual(['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('currentStreak', () => {
  it('counts consecutive days ending today', () => {
    expect(currentStreak(['2026-01-05', '2026-01-06', '2026-01-07'], '2026-01-07')).toBe(3);
  });
  it('still counts a streak ending yesterday when today has no session yet', () => {
    expect(currentStreak(['2026-01-05', '2026-01-06'], '2026-01-07')).toBe(2);
  });
  it('is zero after a missed day', () => {
    expect(currentStreak(['2026-01-04'], '2026-01-07')).toBe(0);
  });
});
