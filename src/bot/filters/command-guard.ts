import type { Composer, Context } from 'telegraf';
import type { BotEnv, Command } from '../command.js';
import { placeOf, worksIn } from './place.js';
import { COORDINATORS_ONLY, mayUse, roleOf } from './roles.js';

/**
 * Registers every declared command with telegraf, one handler per name: the declaration for the
 * kind of chat runs (a name may have one for private chats and one for groups, like /unbind);
 * in the wrong kind of chat the command's `elsewhere` reply (or the coordinators' refusal) is
 * sent, and a user whose role does not reach the command's `who` is refused. Nothing else is
 * parsed or looked up before those checks.
 */
export function registerCommands(bot: Composer<Context>, env: BotEnv): void {
  const byName = new Map<string, Command[]>();
  for (const c of env.commands) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, declared] of byName) {
    bot.command(name, async (ctx) => {
      const place = placeOf(ctx);
      const chosen = declared.find((c) => worksIn(c.where, place));
      if (!chosen) return ctx.reply(declared[0]?.elsewhere ?? COORDINATORS_ONLY);
      if (!mayUse(chosen.who, roleOf(env.s.permissions, ctx.from?.id))) return ctx.reply(COORDINATORS_ONLY);
      return chosen.run(ctx, env);
    });
  }
}
