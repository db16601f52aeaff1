import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openRuntime } from '../runtime.js';
import { runAsk } from './ask.js';

/** Operator CLI: `npm run cli -- <command>`. Results on stdout, diagnostics on stderr. */
async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, config.botToken);
  const program = new Command('cli')
    .description('Operator commands for the 科创筑梦 pilot bot')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('ask')
    .description('answer TEXT (or each line of stdin) as the bot would')
    .option('--json', 'one JSON object per answer: {intent, verdict, matches, reply}')
    .argument('[text...]', 'the question; omit to read one question per line from stdin')
    .action(async (words: string[], opts: { json?: boolean }) => {
      const runtime = openRuntime(config, logger);
      try {
        await runAsk(runtime.answers, words.join(' '), Boolean(opts.json), (line) =>
          process.stdout.write(`${line}\n`),
        );
      } finally {
        runtime.close();
      }
    });

  await program.parseAsync(argv, { from: 'user' });
  return 0;
}

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
    } else {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
