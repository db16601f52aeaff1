import type { Context } from 'telegraf';
import type { DeadlineScope } from '../app/deadline-view.js';
import { threadOf } from './chat-admins.js';
import { isGroup } from './context.js';
import type { BotServices } from './services.js';

/** The deadline scope of a chat: its bound unit or prefecture, else everything. */
export function scopeOf(s: BotServices, ctx: Context): DeadlineScope {
  if (!ctx.chat || !isGroup(ctx)) return { kind: 'all' };
  return s.groups.scopeOf(ctx.chat.id, threadOf(ctx));
}

/** The name of a roster unit, if it is still listed. */
export function unitNameOf(s: BotServices, unitId: number | null): string | undefined {
  return unitId === null ? undefined : s.answers.unit(unitId)?.name;
}
