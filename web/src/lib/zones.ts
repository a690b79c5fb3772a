// Zone names in plain words. The server sends each zone's `plain_name` (the core's one rule,
// kb::plain_name: "Upper and mid back" for "Upper and mid back (thoracic spine)"); the page shows
// it and never works it out itself. The whole name belongs in the "Why?" dialogs.
import type { Zone } from './api';

/**
 * The plain name of a zone id, from the knowledge base's zones. An id the list does not hold (the
 * list not loaded yet or unreachable offline, or a record made with an older knowledge base) is
 * shown as the id in words.
 */
export function zoneLabel(id: string, zones: Zone[]): string {
  return zones.find((z) => z.id === id)?.plain_name ?? id.replace(/_/g, ' ');
}
