import { processEnvironment } from '../config.js';
import { runCli } from './main.js';

/** The `npm run cli` entry point: the CLI over this process's arguments, environment and streams. */
void runCli({
  argv: process.argv.slice(2),
  env: processEnvironment(),
  cwd: process.cwd(),
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  stdin: process.stdin,
}).then((code) => {
  process.exitCode = code;
});
