import { normalizeTimeZone } from '../core/clienttime/zones.js';

/** True for an IANA zone the client-time engine accepts (Gmail sends its own; profiles may hold old ones). */
export function isValidTimeZone(zone: string): boolean {
  try {
    normalizeTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}
