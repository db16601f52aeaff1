import type { Acknowledgements } from '../app/acknowledgements.js';
import type { AdminActions } from '../app/admin-actions.js';
import type { AnswerService } from '../app/answer-service.js';
import type { DeadlineStatus } from '../app/deadline-status.js';
import type { DeadlineView } from '../app/deadline-view.js';
import type { GroupDirectory } from '../app/group-directory.js';
import type { GroupLifecycle } from '../app/group-lifecycle.js';
import type { Notifier } from '../app/notifier.js';
import type { Permissions } from '../app/permissions.js';
import type { ReminderService } from '../app/reminders.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/** The use cases the bot's features call; built once by the composition root. */
export interface BotServices {
  /** Answers, and the current roster's units and contacts. */
  readonly answers: AnswerService;
  /** Deadline lists and deadlines by id. */
  readonly deadlineView: DeadlineView;
  /** A deadline's completion status. */
  readonly deadlineStatus: DeadlineStatus;
  /** Bound groups and binding requests, as coordinators and groups see them. */
  readonly groups: GroupDirectory;
  /** Bot removed, added back, group migrated. */
  readonly lifecycle: GroupLifecycle;
  /** 已完成 / 撤销 presses. */
  readonly acknowledgements: Acknowledgements;
  readonly reminders: ReminderService;
  readonly notifier: Notifier;
  /** Audited administrative changes, and the audit trail. */
  readonly admin: AdminActions;
  /** The whole roster, contacts included, as an XLSX file (for coordinators). */
  readonly rosterXlsx: () => Promise<Buffer>;
  readonly permissions: Permissions;
  readonly timeZone: string;
  readonly clock: Clock;
  /** True when a failure means the database was busy (the update is handled again, or 系统繁忙). */
  readonly isBusy: (err: unknown) => boolean;
  readonly logger: Logger;
}
