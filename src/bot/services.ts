import type { AdminActions } from '../app/admin-actions.js';
import type { AnswerService } from '../app/answer-service.js';
import type { DeadlineView } from '../app/deadline-view.js';
import type { Notifier } from '../app/notifier.js';
import type { Permissions } from '../app/permissions.js';
import type { ReminderService } from '../app/reminders.js';
import type { AuditStore } from '../db/audit-store.js';
import type { BindingRequestStore, BindingStore } from '../db/binding-store.js';
import type { CoordinatorStore } from '../db/coordinator-store.js';
import type { DeadlineStore } from '../db/deadline-store.js';
import type { RosterStore } from '../db/roster-store.js';
import type { Logger } from '../logger.js';

/** Everything the bot's features use; built once by the composition root. */
export interface BotServices {
  readonly answers: AnswerService;
  readonly roster: RosterStore;
  readonly deadlines: DeadlineStore;
  readonly bindings: BindingStore;
  /** Group admins' binding requests awaiting a coordinator. */
  readonly requests: BindingRequestStore;
  readonly deadlineView: DeadlineView;
  readonly reminders: ReminderService;
  readonly notifier: Notifier;
  readonly admin: AdminActions;
  readonly coordinators: CoordinatorStore;
  readonly audit: AuditStore;
  /** The whole roster, contacts included, as an XLSX file (for coordinators). */
  readonly rosterXlsx: () => Promise<Buffer>;
  readonly permissions: Permissions;
  readonly timeZone: string;
  readonly clock: () => number;
  readonly logger: Logger;
}
