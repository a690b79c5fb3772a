import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { reminderIcs } from '../src/lib/ics';
import { msUntilNext } from '../src/lib/notify';
import { defaultSettings } from '../src/lib/settings';

function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  const event = component.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return { component, event };
}

describe('reminderIcs', () => {
  it('writes a daily event at the chosen local time with an alarm, which a parser reads back', () => {
    const text = reminderIcs({ time: '21:30', days: [], start: new Date(2026, 11, 1) });
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const { component, event } = parse(text);
    expect(component.getFirstPropertyValue('version')).toBe('2.0');
    const rrule = event.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rrule.freq).toBe('DAILY');
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect([start.year, start.month, start.day, start.hour, start.minute]).toEqual([2026, 12, 1, 21, 30]);
    expect(start.zone?.tzid ?? 'floating').toBe('floating');
    const alarm = event.getFirstSubcomponent('valarm');
    expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm?.getFirstPropertyValue('trigger'))).toMatch(/^-?PT?0S$|^P0D$|^PT0S$/);
  });

  it('repeats weekly on the chosen weekdays', () => {
    const { event } = parse(reminderIcs({ time: '07:05', days: ['MO', 'WE', 'FR'], start: new Date(2026, 11, 1) }));
    const rrule = event.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rrule.freq).toBe('WEEKLY');
    expect(rrule.getComponent('byday')).toEqual(['MO', 'WE', 'FR']);
    // The next occurrences fall on those days at 07:05.
    const it = new ICAL.RecurExpansion({ component: event, dtstart: event.getFirstPropertyValue('dtstart') as ICAL.Time });
    const days = [];
    for (let i = 0; i < 4; i++) {
      const t = it.next();
      if (!t) break;
      days.push(`${t.dayOfWeek()}@${t.hour}:${t.minute}`);
    }
    // ICAL day numbers: Sunday 1 ... Saturday 7. 1 December 2026 is a Tuesday, so Wednesday comes first.
    expect(days).toEqual(['4@7:5', '6@7:5', '2@7:5', '4@7:5']);
  });
});

describe('msUntilNext', () => {
  it('finds the next reminder today, tomorrow, or on the next chosen weekday', () => {
    const tue = new Date(2026, 11, 1, 18, 0); // Tuesday 18:00
    expect(msUntilNext({ ...defaultSettings, reminderTime: '19:30' }, tue)).toBe(90 * 60_000);
    expect(msUntilNext({ ...defaultSettings, reminderTime: '17:00' }, tue)).toBe(23 * 3600_000);
    expect(msUntilNext({ ...defaultSettings, reminderTime: '17:00', reminderDays: ['FR'] }, tue)).toBe((3 * 24 - 1) * 3600_000);
  });
});
