// The person's own settings, kept in this browser (localStorage): the emergency number for
// their country, the voice (mute, volume) and the reminder. Pure parsing, tested in
// test/settings.test.ts; a missing or damaged entry falls back to the defaults.

export interface EmergencyNumber {
  id: 'uk' | 'eu' | 'us';
  number: string;
  country: string;
}

export const emergencyNumbers: EmergencyNumber[] = [
  { id: 'uk', number: '999', country: 'United Kingdom' },
  { id: 'eu', number: '112', country: 'European Union' },
  { id: 'us', number: '911', country: 'United States and Canada' },
];

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const weekdays: { id: Weekday; label: string }[] = [
  { id: 'MO', label: 'Mon' },
  { id: 'TU', label: 'Tue' },
  { id: 'WE', label: 'Wed' },
  { id: 'TH', label: 'Thu' },
  { id: 'FR', label: 'Fri' },
  { id: 'SA', label: 'Sat' },
  { id: 'SU', label: 'Sun' },
];

export interface Settings {
  emergency: EmergencyNumber['id'];
  muted: boolean;
  volume: number; // 0..1
  reminderTime: string; // HH:MM, local time
  reminderDays: Weekday[]; // empty: every day
}

export const defaultSettings: Settings = { emergency: 'uk', muted: false, volume: 1, reminderTime: '19:30', reminderDays: [] };

const key = 'rollcoach.settings';

/** Settings from stored JSON, keeping only valid fields. */
export function parseSettings(text: string | null): Settings {
  const out: Settings = { ...defaultSettings, reminderDays: [] };
  if (!text) return out;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return out;
  }
  if (!raw || typeof raw !== 'object') return out;
  if (emergencyNumbers.some((e) => e.id === raw.emergency)) out.emergency = raw.emergency as Settings['emergency'];
  if (typeof raw.muted === 'boolean') out.muted = raw.muted;
  if (typeof raw.volume === 'number' && raw.volume >= 0 && raw.volume <= 1) out.volume = raw.volume;
  if (typeof raw.reminderTime === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(raw.reminderTime)) out.reminderTime = raw.reminderTime;
  if (Array.isArray(raw.reminderDays))
    out.reminderDays = weekdays.map((d) => d.id).filter((d) => (raw.reminderDays as unknown[]).includes(d));
  return out;
}

export function loadSettings(): Settings {
  try {
    return parseSettings(window.localStorage.getItem(key));
  } catch {
    return parseSettings(null);
  }
}

export function saveSettings(settings: Settings): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(settings));
  } catch {
    // Private mode or a full disk: the settings last for this visit only.
  }
  window.dispatchEvent(new CustomEvent('rc-settings', { detail: settings }));
}

export function emergencyNumber(settings: Settings): EmergencyNumber {
  return emergencyNumbers.find((e) => e.id === settings.emergency) ?? emergencyNumbers[0];
}

const unfinishedKey = 'rollcoach.screening-unfinished';

/** Whether a screening was started in this browser and not finished (the plan page says so). */
export function screeningUnfinished(): boolean {
  try {
    return window.localStorage.getItem(unfinishedKey) === '1';
  } catch {
    return false;
  }
}

export function markUnfinished(unfinished: boolean): void {
  try {
    if (unfinished) window.localStorage.setItem(unfinishedKey, '1');
    else window.localStorage.removeItem(unfinishedKey);
  } catch {
    // Private mode: the plan page then shows the tier's own headline.
  }
}
