import type { Clock } from '../clock.js';
import type {
  AuditPort,
  BindingRecord,
  BindingRequestsPort,
  BindingsPort,
  TransactionPort,
} from './ports.js';

/**
 * Bound groups kept in step with Telegram: the bot removed from a group (its bindings stop,
 * coordinators are told), added back (they resume), a group turned into a supergroup (bindings
 * and requests follow the new id). Every change is audited with it, in one transaction.
 */
export class GroupLifecycle {
  constructor(
    private readonly deps: {
      readonly bindings: Pick<BindingsPort, 'deactivateChat' | 'reactivateChat' | 'migrateChat'>;
      readonly requests: Pick<BindingRequestsPort, 'migrateChat'>;
      readonly audit: Pick<AuditPort, 'record'>;
      readonly tx: Pick<TransactionPort, 'transaction'>;
      readonly clock: Pick<Clock, 'now'>;
      /** Tells the provincial coordinators (best effort). */
      readonly alert: (text: string) => Promise<void>;
    },
  ) {}

  /** The bot left or was removed by user `by`: the chat's bindings stop. Returns those stopped. */
  async botRemoved(
    chat: { readonly id: number; readonly title: string | null },
    how: 'left' | 'kicked',
    by: number,
  ): Promise<BindingRecord[]> {
    const reason = `bot ${how === 'kicked' ? 'was removed' : 'left'} (by user ${by})`;
    const gone = this.deps.tx.transaction(() => {
      const changed = this.deps.bindings.deactivateChat(chat.id, reason, this.deps.clock.now());
      if (changed.length) this.audit(by, 'binding.deactivate', chat.id, null, { reason, bindings: changed });
      return changed;
    });
    if (gone.length)
      await this.deps.alert(`⚠️ 机器人已被移出群「${chat.title ?? chat.id}」，该群的截止提醒已停用。`);
    return gone;
  }

  /** The bot is back in a chat (added by user `by`): its bindings resume. Returns those resumed. */
  botReturned(chatId: number, by: number): BindingRecord[] {
    return this.deps.tx.transaction(() => {
      const back = this.deps.bindings.reactivateChat(chatId);
      if (back.length) this.audit(by, 'binding.reactivate', chatId, null, { bindings: back });
      return back;
    });
  }

  /** The group became a supergroup: bindings and pending requests move to its new id. */
  migrated(fromChatId: number, toChatId: number): BindingRecord[] {
    return this.deps.tx.transaction(() => {
      const moved = this.deps.bindings.migrateChat(fromChatId, toChatId);
      this.deps.requests.migrateChat(fromChatId, toChatId);
      if (moved.length)
        this.audit(
          null,
          'binding.migrate',
          fromChatId,
          { chatId: fromChatId },
          { chatId: toChatId, bindings: moved },
        );
      return moved;
    });
  }

  private audit(actorId: number | null, action: string, chatId: number, before: unknown, after: unknown) {
    this.deps.audit.record({
      actorId,
      channel: 'telegram',
      action,
      subject: `chat ${chatId}`,
      before,
      after,
    });
  }
}
