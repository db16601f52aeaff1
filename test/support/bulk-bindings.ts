import type { Db } from '../../src/db/client.js';
import { bindings, prefectures, units } from '../../src/db/schema.js';

/**
 * Binds `cityGroups` city groups (cycling over the seeded prefectures) and `unitGroups` unit
 * groups (cycling over the units; several groups per unit) with distinct negative chat ids from
 * `firstChatId` downwards. Returns the chat ids in insertion order.
 */
export function bindManyGroups(
  db: Db,
  cityGroups: number,
  unitGroups: number,
  firstChatId: number,
): number[] {
  const cities = db.select({ name: prefectures.name }).from(prefectures).all();
  const unitRows = db.select({ id: units.id, prefecture: units.prefecture }).from(units).all();
  const rows: (typeof bindings.$inferInsert)[] = [];
  const chatId = () => firstChatId - rows.length;
  for (let i = 0; i < cityGroups; i++) {
    rows.push({ chatId: chatId(), kind: 'city', prefecture: cities[i % cities.length]!.name, unitId: null });
  }
  for (let i = 0; i < unitGroups; i++) {
    const unit = unitRows[i % unitRows.length]!;
    rows.push({ chatId: chatId(), kind: 'unit', prefecture: unit.prefecture, unitId: unit.id });
  }
  db.insert(bindings)
    .values(rows.map((r) => ({ ...r, chatTitle: `测试群 ${r.chatId}`, boundBy: 1 })))
    .run();
  return rows.map((r) => r.chatId);
}
