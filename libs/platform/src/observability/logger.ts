import { type LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import { requestContext } from './request-context';

/** Levels of `LOG_LEVEL`, from the most to the least verbose, then `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** `service` field of every line: `erbm-api`, `erbm-worker`. */
  service: string;
  level: LogLevel;
  /** Where the JSON lines go (default: standard output). */
  destination?: DestinationStream;
}

/**
 * The process's JSON logger (pino): one JSON object per line on standard output, with `level` as a name
 * (`info`…), `time` (ISO 8601, UTC), `service`, `msg`; `correlationId` inside a request; `traceId`/`spanId` when a
 * trace is being recorded (docs/operations.md#observability). Pretty printing is a reader's business (`pino-pretty`).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
      },
    },
    options.destination ?? process.stdout,
  );
}

const STACK = /\n\s+at /;

/**
 * Nest's LoggerService on a pino logger, so that Nest's own messages and every `new Logger(context)` of the code
 * write the same JSON lines. Inside a request the line goes through the request's child logger (it carries the
 * correlation id). Nest's calling convention: the last string argument is the context (`context` field); for
 * `error`, a string argument that looks like a stack trace is the `stack` field; an Error message is logged as `err`.
 * Nest's `verbose` is pino's `trace`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const log = requestContext.getStore()?.log ?? this.pino;
    if (!log.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    else if (rest.length > 0 && rest[rest.length - 1] === undefined) rest.pop();
    const stackAt = rest.findIndex((p) => typeof p === 'string' && STACK.test(p));
    if (stackAt >= 0) fields.stack = rest.splice(stackAt, 1)[0];
    const extra = rest.filter((p) => p !== undefined);
    if (extra.length > 0) fields.params = extra;
    if (message instanceof Error) log[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') log[level]({ ...fields, ...(message as object) });
    else log[level](fields, String(message));
  }
}

/**
 * `LOG_LEVEL`: one of LOG_LEVELS (default `info`).
 * @throws Error naming the variable when the value is not a level.
 */
export function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw.trim() === '') return 'info';
  const v = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return v as LogLevel;
}
