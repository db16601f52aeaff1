import { isAbsolute, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import type { Clock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { redactText } from '../redact.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { createServices } from '../services.js';
import { runAsk } from './ask.js';
import {
  addDeadline,
  editDeadline,
  listAudit,
  listDeadlines,
  listGroups,
  planReminders,
  removeDeadline,
  UsageError,
} from './commands.js';

/** Where the CLI reads and writes: the process's own streams in production, buffers in tests. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Record<string, string | undefined>;
  /** The caller's folder: relative file arguments resolve here (INIT_CWD under npm wins). */
  readonly cwd: string;
  readonly stdout: (chunk: string | Uint8Array) => void;
  readonly stderr: (chunk: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
  /** The clock for "is this due time in the past" and what is stamped (tests pin it). */
  readonly clock?: Clock;
}

/**
 * Exit statuses: 0 done, 1 the command failed (a rejected file, a missing deadline, an unusable
 * database, Telegram refused), 2 a usage error (unknown command or option, a bad value, an
 * invalid setting, `reminders run --at` in the future without --dry-run/--force), 75 reminders
 * that could not be sent now (Telegram unreachable or the token rejected; they stay due). Help
 * exits 0.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, postponed: 75 } as const;

/** Operator CLI: `npm run -s cli -- <command>`. Results on stdout, diagnostics on stderr (English). */
export async function runCli(io: CliIo): Promise<number> {
  try {
    return await program(io);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`error: ${redactText(err.message)}\n`);
      return EXIT.usage;
    }
    io.stderr(`error: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT.failed;
  }
}

async function program(io: CliIo): Promise<number> {
  let status: number = EXIT.ok;
  const config = loadConfig(io.env);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      io.stderr(chunk.toString());
      done();
    },
  });
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, config.botToken, sink);
  const write = (line: string) => io.stdout(`${line}\n`);
  const base = io.env.INIT_CWD || io.cwd;
  const path = (file: string) => (isAbsolute(file) ? file : resolve(base, file));
  const withRuntime = async (fn: (runtime: Runtime) => unknown) => {
    const runtime = openRuntime(config, logger, io.clock);
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
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  program
    .command('ask')
    .description('answer TEXT (or each line of stdin) as the bot would')
    .option('--json', 'one JSON object per answer: {intent, verdict, matches, reply}')
    .argument('[text...]', 'the question; omit to read one question per line from stdin')
    .action((words: string[], opts: { json?: boolean }) =>
      withRuntime((runtime) =>
        runAsk(runtime.answers, words.join(' '), Boolean(opts.json), write, io.stdin ?? process.stdin),
      ),
    );

  const deadlines = program.command('deadlines').description('list, add, change and remove deadlines');
  const deadlineOptions = (cmd: Command) =>
    cmd
      .option('--title <text>', 'what is due')
      .option(
        '--due <iso8601>',
        'due time in BOT_TIMEZONE unless it has an offset, e.g. 2026-12-15T17:00; a bare date means 23:59 that day',
      )
      .option('--audience <who>', 'all | pilot-cities | coordinators | city:NAME | unit:NAME (add: all)')
      .option('--offsets <list>', 'reminders before the due time, e.g. 7d,3d,1d,0d or 2h (add: 7d,3d,1d,0d)')
      .option('--submit <text>', 'what to submit')
      .option('--json', 'print the deadline as JSON');
  deadlineOptions(deadlines.command('add').description('add a deadline (audited)')).action((opts) =>
    withRuntime((runtime) => {
      const services = createServices(runtime, config, offlineNotifier, logger);
      addDeadline(runtime, services.admin, config.timeZone, opts, write);
    }),
  );
  deadlineOptions(
    deadlines
      .command('edit')
      .description('change the fields given of deadline ID (audited)')
      .argument('<id>', 'the deadline number, as deadlines list shows it'),
  ).action((id: string, opts) =>
    withRuntime((runtime) => {
      const services = createServices(runtime, config, offlineNotifier, logger);
      editDeadline(runtime, services.admin, config.timeZone, id, opts, write);
    }),
  );
  deadlines
    .command('remove')
    .description('remove deadline ID and its reminders (audited)')
    .argument('<id>', 'the deadline number, as deadlines list shows it')
    .option('--json', 'print {removed: deadline}')
    .action((id: string, opts: { json?: boolean }) =>
      withRuntime((runtime) => {
        const services = createServices(runtime, config, offlineNotifier, logger);
        removeDeadline(services.admin, config.timeZone, id, opts, write);
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
    .option('--json', 'print {sent, failed, deactivated, migrated, postponed, announced}')
    .action((opts: { at?: string; json?: boolean; dryRun?: boolean; force?: boolean }) =>
      withRuntime(async (runtime) => {
        // Loaded here: telegraf and the send queue are needed only to send.
        const { runRemindersCommand } = await import('./reminders-run.js');
        status = await runRemindersCommand(runtime, config, logger, opts, write, (line) =>
          io.stderr(`${line}\n`),
        );
      }),
    );

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
        listAudit(services.admin, config.timeZone, opts, write);
      }),
    );

  const roster = program.command('roster').description('import and export the roster (CSV or XLSX)');
  roster
    .command('import')
    .description('show what FILE would change in the roster; --apply writes it (one transaction, audited)')
    .argument('<file>', 'CSV (UTF-8 or GBK/GB18030) or XLSX with a header row: 省份,市州,单位名称,...')
    .option('--apply', 'write the changes (default: dry run, nothing changes)')
    .option('--prune', "also remove the units and cities of the file's provinces that the file leaves out")
    .option('--json', 'print {ok, errors, diff, applied}')
    .action(async (file: string, opts: { apply?: boolean; prune?: boolean; json?: boolean }) => {
      const { rosterImportCommand } = await import('./roster.js');
      await withRuntime((runtime) => rosterImportCommand(runtime.ports, path(file), opts, write));
    });
  roster
    .command('export')
    .description('write the roster as CSV (stdout or --out) or XLSX (--out)')
    .option('--format <format>', 'csv | xlsx (default: from the --out extension, else csv)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--province <name>', 'only this province')
    .option('--json', 'with --out: print {out, format, units}; without: the units as a JSON array')
    .action(async (opts: { format?: string; out?: string; province?: string; json?: boolean }) => {
      const { rosterExportCommand } = await import('./roster.js');
      await withRuntime((runtime) =>
        rosterExportCommand(
          runtime.ports,
          { ...opts, ...(opts.out ? { out: path(opts.out) } : {}) },
          (chunk) => io.stdout(chunk),
          write,
        ),
      );
    });

  program
    .command('backup')
    .description(
      'copy the database to FILE with SQLite online backup (safe while the bot runs), then verify it',
    )
    .argument('<file>', 'where to write the copy (must not exist yet)')
    .option('--json', 'print {file, bytes, pages, integrity}')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { backupCommand } = await import('./backup.js');
      await backupCommand(config.databasePath, path(file), opts, write);
    });

  await program.parseAsync([...io.argv], { from: 'user' });
  return status;
}

/** Planning never sends; a notifier that refuses makes that explicit. */
const offlineNotifier = {
  enqueue: async () => ({ ok: false as const, kind: 'gave_up' as const, description: 'offline' }),
};
