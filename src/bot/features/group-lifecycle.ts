import type { Composer, Context } from 'telegraf';
import type { BotEnv } from '../command.js';

/**
 * Keeps bindings in step with Telegram: the bot removed from a group (bindings inactive, the
 * coordinators told), added back (reactivated), a group upgraded to a supergroup (moved).
 */
export function groupLifecycleFeature(bot: Composer<Context>, { s }: BotEnv): void {
  bot.on('my_chat_member', async (ctx, next) => {
    const update = ctx.myChatMember;
    const status = update.new_chat_member.status;
    if (status === 'left' || status === 'kicked') {
      const chat = { id: update.chat.id, title: 'title' in update.chat ? update.chat.title : null };
      const gone = await s.lifecycle.botRemoved(chat, status, update.from.id);
      if (gone.length)
        s.logger.warn(
          { chat: update.chat.id, status },
          'bot removed from a bound group; bindings deactivated',
        );
    } else if (status === 'member' || status === 'administrator') {
      const back = s.lifecycle.botReturned(update.chat.id, update.from.id);
      if (back.length)
        s.logger.info({ chat: update.chat.id }, 'bot back in a bound group; bindings reactivated');
    }
    return next();
  });

  bot.on('message', async (ctx, next) => {
    const message = ctx.message as { migrate_to_chat_id?: number };
    if (message.migrate_to_chat_id) {
      const moved = s.lifecycle.migrated(ctx.chat.id, message.migrate_to_chat_id);
      if (moved.length)
        s.logger.info({ from: ctx.chat.id, to: message.migrate_to_chat_id }, 'group migrated; binding moved');
      return;
    }
    return next();
  });
}
