import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Audience } from '../domain/deadlines/deadline.js';

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

/** Deadlines: the notices' own (seeded, past) and those coordinators add. */
export const deadlines = sqliteTable(
  'deadlines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Stable key of a seeded deadline (null for coordinators' own). */
    seedKey: text('seed_key'),
    title: text('title').notNull(),
    submit: text('submit'),
    /** Due instant, UTC epoch ms. */
    dueAt: integer('due_at').notNull(),
    /** JSON Audience (see domain/deadlines/deadline.ts). */
    audience: text('audience', { mode: 'json' }).$type<Audience>().notNull(),
    /** JSON array of offsets, e.g. ["7d","3d","1d","0d"]. */
    offsets: text('offsets', { mode: 'json' }).$type<string[]>().notNull(),
    source: text('source'),
    createdBy: integer('created_by'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('deadlines_seed_key').on(t.seedKey)],
);

/** A Telegram group (or forum topic) bound to a prefecture (city group) or a unit (unit group). */
export const bindings = sqliteTable(
  'bindings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    chatId: integer('chat_id').notNull(),
    /** Forum topic id; 0 when the binding is not inside a topic. */
    threadId: integer('thread_id').notNull().default(0),
    chatTitle: text('chat_title'),
    kind: text('kind', { enum: ['city', 'unit'] }).notNull(),
    prefecture: text('prefecture').notNull(),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'cascade' }),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    inactiveReason: text('inactive_reason'),
    boundBy: integer('bound_by'),
    boundAt: integer('bound_at').notNull().default(now),
    lastDeliveryAt: integer('last_delivery_at'),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
  },
  (t) => [uniqueIndex('bindings_chat_thread').on(t.chatId, t.threadId)],
);

/**
 * One reminder to one chat. Claimed (status 'claimed') before the send and completed ('sent')
 * after it; the unique key makes a repeated tick harmless and a crash re-send at most what was
 * in flight.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deadlineId: integer('deadline_id')
      .notNull()
      .references(() => deadlines.id, { onDelete: 'cascade' }),
    occurrence: text('occurrence').notNull(),
    chatId: integer('chat_id').notNull(),
    threadId: integer('thread_id').notNull().default(0),
    status: text('status', { enum: ['claimed', 'sent', 'failed'] }).notNull(),
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    claimedAt: integer('claimed_at').notNull(),
    sentAt: integer('sent_at'),
    messageId: integer('message_id'),
    error: text('error'),
  },
  (t) => [uniqueIndex('deliveries_key').on(t.deadlineId, t.occurrence, t.chatId, t.threadId)],
);

/** A unit marked a deadline done (已完成); removing the row undoes it. */
export const acknowledgements = sqliteTable(
  'acknowledgements',
  {
    deadlineId: integer('deadline_id')
      .notNull()
      .references(() => deadlines.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull(),
    userName: text('user_name'),
    at: integer('at').notNull(),
    /** The approved unit group the button was pressed in (null for marks made before provenance). */
    chatId: integer('chat_id'),
    /** When the unit's city coordinators were told (one digest per tick); null until then. */
    notifiedAt: integer('notified_at'),
  },
  (t) => [primaryKey({ columns: [t.deadlineId, t.unitId] })],
);

/** The running bot process that owns the database (one poller per token). */
export const instanceLock = sqliteTable('instance_lock', {
  name: text('name').primaryKey(),
  pid: integer('pid').notNull(),
  host: text('host').notNull(),
  heartbeatAt: integer('heartbeat_at').notNull(),
});

export type DeadlineRow = typeof deadlines.$inferSelect;
export type BindingRow = typeof bindings.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;

/** City coordinators granted by provincial admins: may bind groups and see status in their prefecture. */
export const coordinators = sqliteTable('coordinators', {
  userId: integer('user_id').primaryKey(),
  prefecture: text('prefecture').notNull(),
  grantedBy: integer('granted_by').notNull(),
  grantedAt: integer('granted_at').notNull(),
});

/**
 * Every administrative change: who (Telegram user id, or 0 with actor 'cli'), when, what, and the
 * state before and after (JSON).
 */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  actorId: integer('actor_id'),
  /** 'telegram' or 'cli'. */
  channel: text('channel', { enum: ['telegram', 'cli'] }).notNull(),
  /** e.g. roster.import, deadline.add, binding.bind, role.grant, broadcast.send. */
  action: text('action').notNull(),
  /** What was changed, in a few words (deadline #3, chat -100123, user 42). */
  subject: text('subject').notNull(),
  before: text('before', { mode: 'json' }),
  after: text('after', { mode: 'json' }),
});

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * One-time invitations a coordinator creates for a unit or a prefecture: the group that adds the
 * bot through the t.me/<bot>?startgroup=<code> link is bound. Only the code's SHA-256 is stored.
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    codeHash: text('code_hash').notNull(),
    kind: text('kind', { enum: ['city', 'unit'] }).notNull(),
    prefecture: text('prefecture').notNull(),
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedByChat: integer('used_by_chat'),
  },
  (t) => [uniqueIndex('invitations_code_hash').on(t.codeHash)],
);

/**
 * A group admin's /bind: nothing is bound until a coordinator of the prefecture (or a provincial
 * admin) approves it; rejected and approved requests stay as a record.
 */
export const bindingRequests = sqliteTable('binding_requests', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chatId: integer('chat_id').notNull(),
  threadId: integer('thread_id').notNull().default(0),
  chatTitle: text('chat_title'),
  kind: text('kind', { enum: ['city', 'unit'] }).notNull(),
  prefecture: text('prefecture').notNull(),
  unitId: integer('unit_id').references(() => units.id, { onDelete: 'cascade' }),
  requestedBy: integer('requested_by').notNull(),
  requesterName: text('requester_name'),
  requestedAt: integer('requested_at').notNull(),
  status: text('status', { enum: ['pending', 'approved', 'rejected', 'superseded'] }).notNull(),
  decidedBy: integer('decided_by'),
  decidedAt: integer('decided_at'),
});

export type InvitationRow = typeof invitations.$inferSelect;
export type BindingRequestRow = typeof bindingRequests.$inferSelect;
