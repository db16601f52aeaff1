import type { AppPorts } from '../app/ports.js';
import { type Clock, systemClock } from '../clock.js';
import { AuditStore } from './audit-store.js';
import { BindingRequestStore, BindingStore, InvitationStore } from './binding-store.js';
import type { Db } from './client.js';
import { CoordinatorStore } from './coordinator-store.js';
import { DeadlineStore } from './deadline-store.js';
import { DeliveryStore } from './delivery-store.js';
import { RosterRecords } from './roster-records.js';
import { RosterStore } from './roster-store.js';
import { SqliteTransactions } from './transactions.js';

/** Every app port over one SQLite database; `clock` stamps what the stores record. */
export function sqlitePorts(db: Db, clock: Clock = systemClock): AppPorts {
  return {
    roster: new RosterStore(db),
    rosterRecords: new RosterRecords(db, clock),
    bindings: new BindingStore(db, clock),
    invitations: new InvitationStore(db),
    requests: new BindingRequestStore(db),
    deadlines: new DeadlineStore(db),
    deliveries: new DeliveryStore(db),
    coordinators: new CoordinatorStore(db),
    audit: new AuditStore(db, clock),
    tx: new SqliteTransactions(db),
  };
}
