// The streak calendar: the last N weeks as rows of seven days (Monday first), each day marked
// when a session happened on it. Pure: dates come in as YYYY-MM-DD strings in local time.

export interface CalendarDay {
  date: string; // YYYY-MM-DD
  rolled: boolean;
  today: boolean;
  future: boolean;
}

function parseKey(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d, 12); // noon: immune to daylight-saving shifts
}

function toKey(date: Date): string {
  return `${date.getFullYear()}-${(date.getMonth() + 1).toString().padStart(2, '0')}-${date.getDate().toString().padStart(2, '0')}`;
}

export function calendarWeeks(sessionDays: Iterable<string>, today: string, weeks: number): CalendarDay[][] {
  const rolled = new Set(sessionDays);
  const todayDate = parseKey(today);
  const mondayOffset = (todayDate.getDay() + 6) % 7;
  const start = new Date(todayDate);
  start.setDate(todayDate.getDate() - mondayOffset - 7 * (weeks - 1));
  const rows: CalendarDay[][] = [];
  for (let w = 0; w < weeks; w++) {
    const row: CalendarDay[] = [];
    for (let d = 0; d < 7; d++) {
      const day = new Date(start);
      day.setDate(start.getDate() + w * 7 + d);
      const key = toKey(day);
      row.push({ date: key, rolled: rolled.has(key), today: key === today, future: key > today });
    }
    rows.push(row);
  }
  return rows;
}

/** Consecutive days with a session ending today, or yesterday when today has none yet. */
export function currentStreak(sessionDays: Iterable<string>, today: string): number {
  const rolled = new Set(sessionDays);
  const day = parseKey(today);
  if (!rolled.has(toKey(day))) day.setDate(day.getDate() - 1);
  let streak = 0;
  while (rolled.has(toKey(day))) {
    streak++;
    day.setDate(day.getDate() - 1);
  }
  return streak;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The month to print beside a calendar row: the first row's month, then the month that begins
 * in a row. (A first row that also holds a 1st is marked on that day's cell: monthOfFirst.)
 */
export function weekMonthLabel(week: CalendarDay[], index: number): string {
  const first = index === 0 ? week[0] : week.find((day) => day.date.endsWith('-01'));
  if (!first) return '';
  return monthNames[Number(first.date.slice(5, 7)) - 1].slice(0, 3);
}

/** "Nov" on the 1st of November, '' on other days: printed in the day's cell. */
export function monthOfFirst(day: CalendarDay): string {
  return day.date.endsWith('-01') ? monthNames[Number(day.date.slice(5, 7)) - 1].slice(0, 3) : '';
}

/** "2026-12-01" -> "1 December 2026". */
export function longDate(key: string): string {
  const [y, m, d] = key.split('-').map(Number);
  return `${d} ${monthNames[m - 1]} ${y}`;
}
