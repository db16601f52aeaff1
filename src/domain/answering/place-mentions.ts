import type { Place, PlaceMention } from '../places/china.js';
import { withoutRanges } from '../text/ranges.js';

/** True when the text is only place names plus the given filler words. */
export function isPlaceOnly(name: string, mentions: readonly PlaceMention[], fillers: RegExp): boolean {
  if (!mentions.length) return false;
  return withoutRanges(name, mentions).replace(fillers, '') === '';
}

/** The most specific place named (a county over a prefecture over a province); the last one wins ties. */
export function mostSpecific(mentions: readonly PlaceMention[]): Place | undefined {
  const rank = { country: -1, province: 0, prefecture: 1, county: 2 } as const;
  let best: Place | undefined;
  for (const m of mentions) {
    // A form like 临夏 may be a prefecture or a county: read it as the prefecture.
    const place = [...m.places].sort((a, b) => rank[a.level] - rank[b.level])[0];
    if (place && (!best || rank[place.level] >= rank[best.level])) best = place;
  }
  return best;
}
