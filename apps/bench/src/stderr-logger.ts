import type { LogFields, Logger, LogLevel } from '@reelhouse/core';

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A line-per-record logger on stderr (stdout carries the child's result), for the bench's progress. */
export function createStderrLogger(bindings: LogFields = {}, minLevel: LogLevel = 'info'): Logger {
  const write = (level: LogLevel) => (fields: LogFields, message: string) => {
    if (order[level] < order[minLevel]) return;
    const all = { ...bindings, ...fields };
    const extra = Object.entries(all)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    process.stderr.write(
      `${new Date().toISOString().slice(11, 19)} ${level.padEnd(5)} ${message}${extra === '' ? '' : `  ${extra}`}\n`,
    );
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => createStderrLogger({ ...bindings, ...more }, minLevel),
  };
}
