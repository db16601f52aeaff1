// The baseline of the start-up benchmark: a bare telegraf bot (no database, no matcher) that
// answers every text, started with plain node against the same fake Bot API.
import { Telegraf } from 'telegraf';

const bot = new Telegraf(process.env.BOT_TOKEN, { telegram: { apiRoot: process.env.TELEGRAM_API_ROOT } });
bot.on('text', (ctx) => ctx.reply('ok'));
bot.launch();
process.once('SIGTERM', () => bot.stop('SIGTERM'));
process.once('SIGINT', () => bot.stop('SIGINT'));
