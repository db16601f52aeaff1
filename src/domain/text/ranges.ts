/** A run of a text, from `start` up to (not including) `end`: a place mention, an alias hit. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** The text with the given ranges (in order, not overlapping) cut out: 临洮县洮阳镇小学 − places → 小学. */
export function withoutRanges(text: string, ranges: readonly TextRange[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start);
    at = r.end;
  }
  return out + text.slice(at);
}
