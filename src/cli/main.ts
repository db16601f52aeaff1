import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { redactText } from '../redact.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { createServices } from '../services.js';
import { runAsk } from './ask.js';
import { addDeadline, listAudit, listDeadlines, listGroups, planReminders, UsageError } from './commands.js';
import { runRemindersCommand } from './reminders-run.js';
import { rosterExportCommand, rosterImportCommand } from './roster.js';

/** Operator CLI: `npm run cli -- <command>`. Results on stdout, diagnostics on stderr (English). */
async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, config.botToken);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const withRuntime = async (fn: (runtime: Runtime) => unknown) => {
    const runtime = openRuntime(config, logger);
    try {
      await fn(runtime);
    } finally {
      runtime.close();
    }
  };

  const program = new Command('cli')
    .description('Operator commands for the 科创筑梦 pilot bot')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('ask')
    .description('answer TEXT (or each line of stdin) as the bot would')
    .option('--json', 'one JSON object per answer: {intent, verdict, matches, reply}')
    .argument('[text...]', 'the question; omit to read one question per line from stdin')
    .action((words: string[], opts: { json?: boolean }) =>
      withRuntime((runtime) => runAsk(runtime.answers, words.join(' '), Boolean(opts.json), write)),
    );

  const deadlines = program.command('deadlines').description('list and add deadlines');
  deadlines
    .command('add')
    .description('add a deadline (times in TZ unless the ISO 8601 value has an offset)')
    .requiredOption('--title <text>', 'what is due')
    .requiredOption('--due <iso8601>', 'due instant, e.g. 2026-12-15T17:00+08:00')
    .option('--audience <who>', 'all | pilot-cities | coordinators | city:NAME | unit:NAME', 'all')
    .option('--offsets <list>', 'reminders before the due time, e.g. 7d,3d,1d,0d or 2h', '7d,3d,1d,0d')
    .option('--submit <text>', 'what to submit')
    .option('--json', 'print the deadline as JSON')
    .action((opts) =>
      withRuntime((runtime) => {
        const services = createServices(runtime, config, offlineNotifier, logger);
        addDeadline(runtime, services.admin, config.timeZone, opts, write);
      }),
    );
  deadlines
    .command('list')
    .description('list every deadline, soonest first')
    .option('--json', 'print a JSON array')
    .action((opts: { json?: boolean }) =>
      withRuntime((runtime) => listDeadlines(runtime, config.timeZone, Boolean(opts.json), write)),
    );

  const reminders = program.command('reminders').description('plan and run reminder ticks');
  reminders
    .command('plan')
    .description('what would be sent in a window, to which chat, when')
    .requiredOption('--from <iso8601>', 'window start')
    .requiredOption('--to <iso8601>', 'window end')
    .option('--json', 'print [{deadlineId, chatId, fireAt}]')
    .action((opts) =>
      withRuntime((runtime) => {
        const services = createServices(runtime, config, offlineNotifier, logger);
        planReminders(services.reminders, config.timeZone, opts, write);
      }),
    );
  reminders
    .command('run')
    .description('run one tick now: send what is due (a past --at catches up as if the clock read it)')
    .option('--at <iso8601>', 'as if the clock read this instant; a future one needs --dry-run or --force')
    .option('--dry-run', 'print what would be sent; send and record nothing')
    .option('--force', 'with a future --at: send those reminders now (rehearsal; they will not go out again)')
    .option('--json', 'print {sent, failed, deactivated, migrated, postponed}')
    .action(async (opts: { at?: string; json?: boolean; dryRun?: boolean; force?: boolean }) => {
      let status = 0;
      await withRuntime(async (runtime) => {
        status = await runRemindersCommand(runtime, config, logger, opts, write, (line) =>
          process.stderr.write(`${line}\n`),
        );
      });
      exitStatus = status;
    });

  program
    .command('groups')
    .description('bound groups')
    .command('list')
    .description('list bound groups and whether they are active')
    .option('--json', 'print [{chatId, kind, name, active}]')
    .action((opts: { json?: boolean }) =>
      withRuntime((runtime) => listGroups(runtime, Boolean(opts.json), write)),
    );

  program
    .command('audit')
    .description('the audit trail of administrative changes')
    .command('list')
    .description('most recent changes first')
    .option('--limit <n>', 'how many entries', '50')
    .option('--json', 'print a JSON array')
    .action((opts: { json?: boolean; limit?: string }) =>
      withRuntime((runtime) => {
        const services = createServices(runtime, config, offlineNotifier, logger);
        listAudit(services.audit, config.timeZone, opts, write);
      }),
    );

  // Usage errors of the roster commands exit with status 2 (a rejected file is 1); help stays 0.
  const usageExit = (err: CommanderError) => {
    throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
  };
  const roster = program
    .command('roster')
    .description('import and export the roster (CSV or XLSX)')
    .exitOverride(usageExit);
  roster
    .command('import')
    .description('show what FILE would change in the roster; --apply writes it (one transaction, audited)')
    .argument('<file>', 'CSV (UTF-8 or GBK/GB18030) or XLSX with a header row: 省份,市州,单位名称,...')
    .option('--apply', 'write the changes (default: dry run, nothing changes)')
    .option('--json', 'print {ok, errors, diff, applied}')
    .exitOverride(usageExit)
    .action((file: string, opts: { apply?: boolean; json?: boolean }) =>
      withRuntime((runtime) => rosterImportCommand(runtime.db, file, opts, write)),
    );
  roster
    .command('export')
    .description('write the roster as CSV (stdout or --out) or XLSX (--out)')
    .option('--format <format>', 'csv | xlsx (default: from the --out extension, else csv)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--province <name>', 'only this province')
    .exitOverride(usageExit)
    .action((opts: { format?: string; out?: string; province?: string }) =>
      withRuntime((runtime) =>
        rosterExportCommand(runtime.db, opts, (chunk) => process.stdout.write(chunk), write),
      ),
    );

  let exitStatus = 0;
  await program.parseAsync(argv, { from: 'user' });
  return exitStatus;
}

/** Planning never sends; a notifier that refuses makes that explicit. */
const offlineNotifier = {
  enqueue: async () => ({ ok: false as const, kind: 'gave_up' as const, description: 'offline' }),
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
    } else if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 78;
    } else if (err instanceof UsageError) {
      process.stderr.write(`error: ${redactText(err.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
      process.exitCode = 1;
    }
  },
);
