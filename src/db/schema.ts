import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** All instants are UTC epoch milliseconds. */
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const prefectures = sqliteTable(
  'prefectures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    province: text('province').notNull(),
    name: text('name').notNull(),
    /** JSON array of short forms, e.g. ["临夏州","临夏"]. */
    shortNames: text('short_names', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    pilotCity: integer('pilot_city', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('prefectures_province_name').on(t.province, t.name)],
);

export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    province: text('province').notNull(),
    prefecture: text('prefecture').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['school', 'university', 'out_of_school'] }).notNull(),
    county: text('county'),
    /** JSON array of reviewed nicknames. */
    aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    contactPerson: text('contact_person'),
    contactPhone: text('contact_phone'),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('units_province_name').on(t.province, t.name)],
);

export const contacts = sqliteTable('contacts', {
  id: text('id').primaryKey(),
  level: text('level', { enum: ['provincial', 'national'] }).notNull(),
  organisation: text('organisation').notNull(),
  person: text('person').notNull(),
  phone: text('phone').notNull(),
  email: text('email'),
  notice: text('notice').notNull(),
});

/**
 * Seed items already applied, by kind and key. The seed inserts only what is not here, so a
 * second start changes nothing and a coordinator's later edit or removal is never undone.
 */
export const seedLedger = sqliteTable(
  'seed_ledger',
  {
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    appliedAt: integer('applied_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/** Small key/value facts: roster_version (bumped on every roster change). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export type UnitRow = typeof units.$inferSelect;
export type PrefectureRow = typeof prefectures.$inferSelect;
