/** Cores per prefecture, to keep the roster (and the labels derived from it) unambiguous. */
export class CoreIndex {
  private readonly byPrefecture = new Map<string, { county: string | null; core: string }[]>();

  add(prefecture: string, county: string | null, core: string): void {
    const list = this.byPrefecture.get(prefecture) ?? [];
    list.push({ county, core });
    this.byPrefecture.set(prefecture, list);
  }

  /**
   * Whether a unit with this core exists that a name (prefecture, county, core) could refer to:
   * same county, or either side without a county (兰州市第五中学 vs 兰州市城关区第五中学).
   */
  has(prefecture: string, county: string | null, core: string): boolean {
    return (this.byPrefecture.get(prefecture) ?? []).some(
      (e) => e.core === core && (county === null || e.county === null || e.county === county),
    );
  }
}
