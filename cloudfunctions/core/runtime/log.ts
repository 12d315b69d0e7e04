// Structured logs. Personal data and secrets never reach a log line: pino
// redacts them by field name wherever they appear (up to three levels deep).
import pino from 'pino';

const SENSITIVE = [
  'idNumber',
  'idCardNumber',
  'idName',
  'name_on_id',
  'bankAccount',
  'accountNumber',
  'account_number',
  'accountName',
  'phone',
  'mobile',
  'email',
  'contactName',
  'secretKey',
  'secretId',
  'apiV3Key',
  'privateKey',
  'authorization',
  'Authorization',
  'paySign',
  'setupCode',
  'setupCodes',
  'claimCode',
  'ciphertext',
];

export const redactPaths = SENSITIVE.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]);

export type Logger = pino.Logger;

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  return pino({ level, redact: { paths: redactPaths, censor: '[REDACTED]' }, base: undefined }, options.destination);
}
