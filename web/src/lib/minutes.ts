// A "most minutes a session" box, as the clearance form and the therapist's limits editor read it
// (pure, tested in test/clearance.test.ts and test/clinic-format.test.ts). The box is text with a
// numeric keyboard, not type="number": a number box that cannot read what was typed (1e400, "ten")
// reports "" and the limit would vanish without a word. Here the text is kept and, if it is not
// whole minutes from 1 to 60, the form says so in the box's own words.

export const mostMinutes = 60;

/** '' (or spaces) is no limit; "1" to "60" is that many minutes; anything else is a sentence to show. */
export function readMinutes(typed: string, label: string): { minutes: number | null } | { problem: string } {
  const text = typed.trim();
  if (text === '') return { minutes: null };
  // Digits only: Number() would take "1e1" as 10, "0x10" as 16 and "1e400" as Infinity.
  const minutes = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (minutes >= 1 && minutes <= mostMinutes) return { minutes };
  const shown = text.length > 12 ? `${text.slice(0, 12)}...` : text;
  return { problem: `${label}: "${shown}" is not whole minutes from 1 to ${mostMinutes}. Give a number such as 20, or leave it empty for no limit.` };
}
