import { inspect } from 'node:util';

/** Hides a password in a connection URL: `postgres://u:secret@h/db` prints as `postgres://u:***@h/db`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

/**
 * A secret-bearing value that prints redacted everywhere (String, JSON, console, util.inspect).
 * Only `expose()` gives the real value, so a leak is a deliberate call, easy to grep.
 */
export class Redacted {
  readonly #value: string;
  readonly #shown: string;

  constructor(value: string, shown: string) {
    this.#value = value;
    this.#shown = shown;
  }

  static url(url: string): Redacted {
    return new Redacted(url, redactUrl(url));
  }

  expose(): string {
    return this.#value;
  }

  toString(): string {
    return this.#shown;
  }

  toJSON(): string {
    return this.#shown;
  }

  [inspect.custom](): string {
    return this.#shown;
  }
}
