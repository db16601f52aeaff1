import type { AdminActions } from '../app/admin-actions.js';
import type { AnswerService } from '../app/answer-service.js';
import type { DeadlineView } from '../app/deadline-view.js';
import type { Notifier } from '../app/notifier.js';
import type { Permissions } from '../app/permissions.js';
import type {
  AuditPort,
  BindingRequestsPort,
  BindingsPort,
  CoordinatorsPort,
  DeadlinesPort,
  RosterPort,
} from '../app/ports.js';
import type { ReminderService } from '../app/reminders.js';
import type { Logger } from '../logger.js';

/** Everything the bot's features use; built once by the composition root. */
export interface BotServices {
  readonly answers: AnswerService;
  readonly roster: RosterPort;
  readonly deadlines: DeadlinesPort;
  readonly bindings: BindingsPort;
  /** Group admins' binding requests awaiting a coordinator. */
  readonly requests: BindingRequestsPort;
  readonly deadlineView: DeadlineView;
  readonly reminders: ReminderService;
  readonly notifier: Notifier;
  readonly admin: AdminActions;
  readonly coordinators: CoordinatorsPort;
  readonly audit: AuditPort;
  /** The whole roster, contacts included, as an XLSX file (for coordinators). */
  readonly rosterXlsx: () => Promise<Buffer>;
  readonly permissions: Permissions;
  readonly timeZone: string;
  readonly clock: () => number;
  readonly logger: Logger;
}
