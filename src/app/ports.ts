import type { Audience, Deadline } from '../domain/deadlines/deadline.js';
import type { Roster, UnitKind } from '../domain/roster.js';

/**
 * What the use cases need from storage, in domain terms. `src/db` implements these ports over
 * SQLite; nothing in `src/app` knows how they are stored. The ports are synchronous (see the
 * README's architecture section): a write runs inside `transaction(fn)` when it must commit
 * together with others (its audit entry, a version bump).
 */

/** Where a group binding points: a prefecture's city group, or one unit's group. */
export interface BindTarget {
  readonly kind: 'city' | 'unit';
  readonly prefecture: string;
  readonly unitId: number | null;
}

/** A group (or forum topic) bound to a prefecture or unit, kept in step with Telegram. */
export interface BindingRecord extends BindTarget {
  readonly id: number;
  readonly chatId: number;
  /** Forum topic, 0 for the whole chat. */
  readonly threadId: number;
  readonly chatTitle: string | null;
  readonly active: boolean;
  readonly inactiveReason: string | null;
  readonly boundBy: number | null;
  readonly boundAt: number;
  readonly lastDeliveryAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

/** A one-time invitation; only the code's SHA-256 is stored. */
export interface InvitationRecord extends BindTarget {
  readonly id: number;
  readonly codeHash: string;
  readonly createdBy: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly usedByChat: number | null;
}

/** A group admin's request to bind a chat, pending until a coordinator decides. */
export interface BindingRequestRecord extends BindTarget {
  readonly id: number;
  readonly chatId: number;
  readonly threadId: number;
  readonly chatTitle: string | null;
  readonly requestedBy: number;
  readonly requesterName: string | null;
  readonly requestedAt: number;
  readonly status: 'pending' | 'approved' | 'rejected' | 'superseded';
  readonly decidedBy: number | null;
  readonly decidedAt: number | null;
}

export type NewInvitation = Omit<InvitationRecord, 'id' | 'usedAt' | 'usedByChat'>;
export type NewBindingRequest = Omit<BindingRequestRecord, 'id' | 'status' | 'decidedBy' | 'decidedAt'>;

/** A deadline before it has an id, with who created it. */
export type NewDeadline = Omit<Deadline, 'id'> & { readonly createdBy: number | null };
export type DeadlineChanges = Partial<Omit<NewDeadline, 'createdBy'>>;

/** A unit's 已完成 mark on a deadline, with who made it, when and where. */
export interface Acknowledgement {
  readonly deadlineId: number;
  readonly unitId: number;
  readonly userId: number;
  readonly userName: string | null;
  readonly at: number;
  /** The unit group the mark was made in (null for marks made before this was recorded). */
  readonly chatId: number | null;
}

/** A city coordinator (one prefecture each), granted by a provincial admin. */
export interface CityCoordinator {
  readonly userId: number;
  readonly prefecture: string;
  readonly grantedBy: number;
  readonly grantedAt: number;
}

/** One administrative change to record. */
export interface AuditEntry {
  readonly actorId: number | null;
  readonly channel: 'telegram' | 'cli';
  readonly action: string;
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A recorded change, with its number and time. */
export interface AuditRecord extends Required<AuditEntry> {
  readonly id: number;
  readonly at: number;
}

/** One delivery to claim in the log before its send. */
export interface ClaimItem {
  readonly deadlineId: number;
  readonly occurrence: string;
  readonly chatId: number;
  readonly threadId: number;
  readonly late: boolean;
}

/** A unit as the roster file speaks of it (contacts included). */
export interface StoredUnit {
  readonly id: number;
  readonly province: string;
  readonly prefecture: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly county: string | null;
  readonly contactPerson: string | null;
  readonly contactPhone: string | null;
}

export interface StoredCity {
  readonly province: string;
  readonly name: string;
  readonly pilotCity: boolean;
}

/** What depends on units and cities (what removing one would take with it). */
export interface RosterDependents {
  /** The unit of every unit group binding. */
  readonly boundUnitIds: readonly number[];
  /** The prefecture of every city group binding. */
  readonly boundCities: readonly string[];
  /** The unit of every 已完成 mark. */
  readonly acknowledgedUnitIds: readonly number[];
  /** The prefecture of every city coordinator. */
  readonly coordinatorCities: readonly string[];
  readonly deadlineAudiences: readonly Audience[];
}

/** The writes of a roster import, per province (see roster-diff-types.ts for what they mean). */
export interface RosterWrite {
  readonly province: string;
  readonly addCities: readonly {
    readonly name: string;
    readonly shortNames: readonly string[];
    readonly pilotCity: boolean;
  }[];
  readonly setPilotCity: readonly { readonly name: string; readonly pilotCity: boolean }[];
  readonly addUnits: readonly Omit<StoredUnit, 'id' | 'province'>[];
  /** Changed fields by unit id; a changed prefecture moves the unit's groups with it. */
  readonly changeUnits: readonly {
    readonly id: number;
    readonly set: Partial<Omit<StoredUnit, 'id' | 'province' | 'name'>>;
  }[];
  readonly removeUnitIds: readonly number[];
  readonly removeCities: readonly string[];
}

/** The roster as the answerer reads it, and its version. */
export interface RosterPort {
  load(): Roster;
  /** A unit's contact person and phone (for coordinators only; never shown to the public). */
  contactOf(unitId: number): { person: string | null; phone: string | null } | null;
  /** A number that changes whenever the roster changes (in this or another process). */
  version(): number;
  /** Marks the roster changed; call inside the transaction that changed it. */
  bumpVersion(): void;
}

/** The roster's units and cities as records, for import and export. */
export interface RosterRecordsPort {
  /** Units and cities of these provinces (all when omitted), each in insertion order. */
  records(provinces?: readonly string[]): { units: StoredUnit[]; cities: StoredCity[] };
  dependents(): RosterDependents;
  /** Writes one province's changes, stamped now. */
  write(change: RosterWrite): void;
}

export interface BindingsPort {
  all(): BindingRecord[];
  /** Bindings of a chat (all topics). */
  ofChat(chatId: number): BindingRecord[];
  /** The binding of a chat's topic, falling back to the chat-wide binding. */
  forChat(chatId: number, threadId?: number): BindingRecord | null;
  /** Binds (or re-binds) a chat topic now; returns the binding and what it replaced. */
  bind(
    chatId: number,
    threadId: number,
    target: BindTarget,
    by: number,
    chatTitle: string | null,
  ): { binding: BindingRecord; previous: BindingRecord | null };
  /** Removes a chat topic's binding; returns it, or null when there was none. */
  unbind(chatId: number, threadId: number): BindingRecord | null;
  /** Marks every binding of a chat inactive with the reason; returns those it changed. */
  deactivateChat(chatId: number, reason: string, at: number): BindingRecord[];
  /** Reactivates a chat's bindings; returns those it changed. */
  reactivateChat(chatId: number): BindingRecord[];
  /** Moves a group's bindings to its new supergroup id; returns the moved bindings. */
  migrateChat(fromChatId: number, toChatId: number): BindingRecord[];
  recordDelivery(chatId: number, at: number): void;
  /** Remembers the latest failure for the chat; never stores a token. */
  recordError(chatId: number, error: string, at: number): void;
}

export interface InvitationsPort {
  add(invitation: NewInvitation): InvitationRecord;
  byHash(codeHash: string): InvitationRecord | null;
  /** Marks an invitation used, only if it still is unused; false when someone else was first. */
  markUsed(id: number, chatId: number, at: number): boolean;
}

export interface BindingRequestsPort {
  get(id: number): BindingRequestRecord | null;
  pending(): BindingRequestRecord[];
  /** Files a request; an earlier pending request of the same chat topic is superseded. */
  add(request: NewBindingRequest): { request: BindingRequestRecord; superseded: BindingRequestRecord[] };
  /** Decides a pending request; null when it is no longer pending. */
  decide(id: number, status: 'approved' | 'rejected', by: number, at: number): BindingRequestRecord | null;
  /** Moves a group's requests to its new supergroup id. */
  migrateChat(fromChatId: number, toChatId: number): void;
}

export interface DeadlinesPort {
  /** Soonest first. */
  all(): Deadline[];
  get(id: number): Deadline | null;
  add(d: NewDeadline): Deadline;
  update(id: number, changes: DeadlineChanges): Deadline | null;
  remove(id: number): boolean;
  acknowledgements(deadlineId?: number): Acknowledgement[];
  /** Marks no city coordinator has been told of yet, oldest first. */
  unannounced(): Acknowledgement[];
  markAnnounced(marks: readonly Pick<Acknowledgement, 'deadlineId' | 'unitId'>[], at: number): void;
  /** Records that a unit finished a deadline; false when it was already recorded. */
  acknowledge(a: Acknowledgement): boolean;
  /** Undoes an acknowledgement; false when there was none. */
  unacknowledge(deadlineId: number, unitId: number): boolean;
}

/** The delivery log: claim before sending, complete after; a delivery is never claimed twice. */
export interface DeliveryLogPort {
  /** Keys of deliveries sent or in flight (what the planner must not plan again). */
  deliveredKeys(): Set<string>;
  /** Claims the items at once; aligned with `items`, the new claim's id or undefined when taken. */
  claimEach(items: readonly ClaimItem[], at: number): (number | undefined)[];
  complete(ids: readonly number[], messageId: number, at: number): void;
  /** A permanent failure: recorded, and not retried for that chat. */
  fail(ids: readonly number[], error: string): void;
  /** Gives claims back (a transient failure): the next tick plans them again. */
  release(ids: readonly number[]): void;
  /** Claims left by a process that died mid-send; only while no other process sends. */
  releaseStaleClaims(): number;
}

export interface CoordinatorsPort {
  all(): CityCoordinator[];
  get(userId: number): CityCoordinator | null;
  /** Grants (or moves) a city coordinator; returns the previous grant. */
  grant(c: CityCoordinator): CityCoordinator | null;
  /** Revokes; returns the removed grant, or null when there was none. */
  revoke(userId: number): CityCoordinator | null;
}

/** The append-only audit trail. */
export interface AuditPort {
  /** Records one change now; inside a transaction it commits with the change. */
  record(entry: AuditEntry): void;
  /** The most recent entries first. */
  recent(limit?: number): AuditRecord[];
}

export interface TransactionPort {
  /**
   * Runs `fn` in one transaction: every port write inside it commits together or not at all.
   * `immediate` takes the write lock at the start (for a read-then-write that must see no
   * other writer in between). Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T, opts?: { immediate?: boolean }): T;
  /**
   * Runs `fn` in one transaction; while the store is busy (another connection holds the write
   * lock), waits without blocking and tries again, so a record is delayed, never lost.
   */
  persist<T>(fn: () => T, onRetry?: (attempt: number) => void): Promise<T>;
  /** True when `err` says the store was busy (locked by another writer): worth trying again. */
  isBusy(err: unknown): boolean;
}

/** Every port, as the composition root builds them over one database. */
export interface AppPorts {
  readonly roster: RosterPort;
  readonly rosterRecords: RosterRecordsPort;
  readonly bindings: BindingsPort;
  readonly invitations: InvitationsPort;
  readonly requests: BindingRequestsPort;
  readonly deadlines: DeadlinesPort;
  readonly deliveries: DeliveryLogPort;
  readonly coordinators: CoordinatorsPort;
  readonly audit: AuditPort;
  readonly tx: TransactionPort;
}
