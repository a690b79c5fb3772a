// While the app is open, a browser notification at the reminder time (Notification API). The
// calendar file (.ics) is the reminder that works with the app closed; this is the extra.
import { type Settings, weekdays } from './settings';

/** Milliseconds from `now` to the next reminder time on an allowed day (within 8 days). */
export function msUntilNext(settings: Settings, now: Date): number {
  const [h, m] = settings.reminderTime.split(':').map(Number);
  for (let add = 0; add <= 7; add++) {
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() + add, h, m, 0, 0);
    if (at.getTime() <= now.getTime()) continue;
    const day = weekdays[(at.getDay() + 6) % 7].id;
    if (settings.reminderDays.length === 0 || settings.reminderDays.includes(day)) return at.getTime() - now.getTime();
  }
  return 24 * 3600_000;
}

export class ReminderTimer {
  static shared = new ReminderTimer();
  private timer = 0;

  schedule(settings: Settings): void {
    window.clearTimeout(this.timer);
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const delay = msUntilNext(settings, new Date());
    // Timers longer than about 24.8 days overflow; ours are at most a week.
    this.timer = window.setTimeout(() => {
      try {
        new Notification('rollcoach', { body: 'Time for a few gentle minutes of rolling.', icon: '/icon-192.png', tag: 'rollcoach-reminder' });
      } catch {
        // Some mobile browsers only allow notifications from a service worker.
        void navigator.serviceWorker?.ready.then((r) => r.showNotification('rollcoach', { body: 'Time for a few gentle minutes of rolling.', tag: 'rollcoach-reminder' }));
      }
      this.schedule(settings);
    }, delay);
  }
}
