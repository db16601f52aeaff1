/**
 * The one way to shorten user-supplied text (titles, names, payloads) for a message or a button.
 * `String.prototype.slice` counts UTF-16 units and can cut an emoji in half, leaving a lone
 * surrogate that Telegram rejects as invalid UTF-8 (400); this cuts between code points.
 */

/** At most `max` code points of `text`; when it was longer, the last one kept is `ellipsis`. */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (max <= 0) return '';
  // Fast path: fewer UTF-16 units than `max` means fewer code points too.
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  const room = Math.max(0, max - Array.from(ellipsis).length);
  return `${points.slice(0, room).join('')}${ellipsis}`;
}

/** The first `max` code points of `text`, no ellipsis (for matching input, not for display). */
export function headText(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, Math.max(0, max)).join('');
}

/** Replaces lone surrogates (never valid in a Bot API string) with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** At most `maxUnits` UTF-16 units of `text` (Telegram counts message length so), never half a pair. */
export function fitUnits(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let cut = Math.max(0, maxUnits);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut);
}
