import type { Context } from 'telegraf';
import type { Confirmations, ConfirmedAction } from './confirmations.js';
import type { BotServices } from './services.js';

/**
 * Who may use a command. `group_admin` commands are open to a group's admins and to the
 * coordinators of the prefecture they concern; the handler checks that against its target
 * (filters/group-admin.ts). `coordinator` is a city coordinator or a provincial admin;
 * `admin` is a provincial admin (ADMIN_USER_IDS) only.
 */
export type Who = 'everyone' | 'group_admin' | 'coordinator' | 'admin';
/** Where a command works: a private chat, a group (or supergroup), or both. */
export type Where = 'private' | 'group' | 'any';

/** What every command handler gets besides its update: the services and the bot's own state. */
export interface BotEnv {
  readonly s: BotServices;
  /** The command registry (for /help). */
  readonly commands: readonly Command[];
  /** Pending one-time confirmations (broadcasts, deadline removals). */
  readonly confirmations: Confirmations<ConfirmedAction>;
}

/** What a command is, as the menus, /help and the README show it. */
export interface CommandInfo {
  /** Without the slash: `check`. */
  readonly name: string;
  /** Chinese, for the menu and /help: 查询单位是否为试点单位. */
  readonly description: string;
  /** The description in group menus, when it differs. */
  readonly groupDescription?: string;
  /** The argument placeholder for /help: 单位名 gives “/check 单位名”. */
  readonly usage?: string;
  /** An argument example the menu appends: 民主西路小学 gives “，如 /check 民主西路小学”. */
  readonly example?: string;
  readonly who: Who;
  readonly where: Where;
  /** Not in menus or /help (/start, which Telegram sends by itself). */
  readonly hidden?: boolean;
  /** The reply in the wrong kind of chat; a refusal when absent. */
  readonly elsewhere?: string;
}

/** One declared command: what it is, and how it runs (parse the message, then handle). */
export interface Command extends CommandInfo {
  run(ctx: Context, env: BotEnv): Promise<unknown>;
}

/**
 * Declares a command: `parse` turns the whole message text into the handler's arguments (no I/O,
 * no replies); `handle` calls one use case and renders its result. Who and where are enforced
 * before either runs (see registerCommands).
 */
export function command<A>(
  spec: CommandInfo & {
    readonly parse: (text: string) => A;
    readonly handle: (ctx: Context, args: A, env: BotEnv) => Promise<unknown>;
  },
): Command {
  const { parse, handle, ...info } = spec;
  return { ...info, run: (ctx, env) => handle(ctx, parse(ctx.text ?? ''), env) };
}
