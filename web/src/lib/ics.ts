// The reminder as an iCalendar file (RFC 5545) for the phone's own calendar: a 10-minute event
// at the chosen local time, repeating every day or on the chosen weekdays, with an alarm at the
// start. Built with ical-generator; the time is "floating" (local wherever the phone is), so a
// 19:30 reminder stays at 19:30 after travel or a clock change. Tested in test/ics.test.ts by
// parsing the file back with ical.js.
import ical, { ICalAlarmType, ICalEventRepeatingFreq, ICalWeekday } from 'ical-generator';
import type { Weekday } from './settings';

export interface ReminderOptions {
  time: string; // HH:MM
  days: Weekday[]; // empty: every day
  start: Date; // the first day (its local date is used)
  uid?: string;
}

const byDay: Record<Weekday, ICalWeekday> = {
  MO: ICalWeekday.MO,
  TU: ICalWeekday.TU,
  WE: ICalWeekday.WE,
  TH: ICalWeekday.TH,
  FR: ICalWeekday.FR,
  SA: ICalWeekday.SA,
  SU: ICalWeekday.SU,
};

export function reminderIcs(options: ReminderOptions): string {
  const [hours, minutes] = options.time.split(':').map(Number);
  const start = new Date(options.start.getFullYear(), options.start.getMonth(), options.start.getDate(), hours, minutes, 0);
  const end = new Date(start.getTime() + 10 * 60_000);
  const calendar = ical({ name: 'rollcoach', prodId: { company: 'rollcoach', product: 'reminders', language: 'EN' } });
  const event = calendar.createEvent({
    id: options.uid ?? `rollcoach-reminder-${options.time.replace(':', '')}@rollcoach.local`,
    start,
    end,
    floating: true,
    summary: 'Foam rolling with rollcoach',
    description: 'A few gentle minutes for your back. Open rollcoach, answer the check-in if it asks, and roll only where the plan says.',
    repeating: options.days.length
      ? { freq: ICalEventRepeatingFreq.WEEKLY, byDay: options.days.map((d) => byDay[d]) }
      : { freq: ICalEventRepeatingFreq.DAILY },
  });
  event.createAlarm({ type: ICalAlarmType.display, trigger: 0, description: 'Time for your rollcoach session' });
  return calendar.toString();
}
