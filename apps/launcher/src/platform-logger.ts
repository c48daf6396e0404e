// The process's one logger: pino, JSON lines on stdout, at LOG_LEVEL. Each app gets a child that adds
// `app` (and the serving node or worker id), so every line of the process has the same shape and levels.
import { pino, type DestinationStream, type Logger } from 'pino';

export type LevelLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export function createPlatformLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level }, destination) : pino({ level });
}

/** The `(level, message, fields)` function the serving node and the training worker take, writing to `logger`. */
export function levelLog(logger: Logger): LevelLog {
  return (level, message, fields) => logger[level](fields ?? {}, message);
}
