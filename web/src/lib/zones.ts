// Zone names in plain words. The knowledge base names a zone "Upper and mid back (thoracic
// spine)": the plain part is shown everywhere, the anatomical part only where "Why?" explains.
import type { Zone } from './api';

export function plainZoneName(name: string): string {
  return name.replace(/\s*\([^)]*\)\s*$/, '').trim() || name;
}

/** The anatomical name in the brackets, or '' when the name has none. */
export function anatomicalZoneName(name: string): string {
  const match = /\(([^)]*)\)\s*$/.exec(name);
  return match ? match[1].trim() : '';
}

/** The plain name of a zone id, from the knowledge base's zones; the id in words when unknown. */
export function zoneLabel(id: string, zones: Zone[]): string {
  const zone = zones.find((z) => z.id === id);
  return zone ? plainZoneName(zone.name) : id.replace(/_/g, ' ');
}
