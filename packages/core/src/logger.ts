export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logging surface every package accepts. Pino satisfies it structurally, so packages take a
 * `Logger` and the apps decide where the lines go.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): Logger;
}

/** A logger that drops everything: the default for libraries called without one. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps records in memory, for tests that assert what was logged. */
export function createMemoryLogger(
  bindings: LogFields = {},
  records: LogRecord[] = [],
): Logger & { readonly records: LogRecord[] } {
  const write = (level: LogLevel) => (fields: LogFields, message: string) => {
    records.push({ level, message, fields: { ...bindings, ...fields } });
  };
  return {
    records,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createMemoryLogger({ ...bindings, ...more }, records),
  };
}
