import pino from 'pino';
import { REDACTED, redactText, registerSecret } from './redact.js';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stderr (stdout belongs to the console chat and the CLI). The bot token
 * never reaches a log line: known fields are censored, and every finished line — whatever field,
 * message or error stack holds it — is scrubbed of the token and anything token-shaped.
 */
export function createLogger(
  level: string,
  token?: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  registerSecret(token);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', 'botToken', '*.token', '*.botToken'], censor: REDACTED },
      hooks: {
        // The serialized line, just before it is written: covers every field at any depth.
        streamWrite: (line: string) => redactText(line),
      },
    },
    destination,
  );
}
