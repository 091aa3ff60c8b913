/**
 * Parsers for option values that commander runs while it parses the command line: a bad value is a usage
 * error (exit 2) naming the option and the value, before any file is read or any AWS call is made.
 * Kept free of heavy imports: the command table loads this module on every run.
 */
import { InvalidArgumentError } from 'commander';

/** An `http:` or `https:` URL with a host (an endpoint such as moto's `http://127.0.0.1:5000`). */
export function endpointUrl(flag: string): (value: string) => string {
  return (value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      throw new InvalidArgumentError(`${flag} \`${value}\` is not a URL; give one like \`http://127.0.0.1:5000\``);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidArgumentError(`${flag} \`${value}\` must be an http:// or https:// URL`);
    }
    if (url.hostname === '') throw new InvalidArgumentError(`${flag} \`${value}\` has no host; give one like \`https://organizations.us-east-1.amazonaws.com\``);
    return value;
  };
}

/** A number of seconds greater than 0 and at most `max`, as milliseconds. */
export function secondsAsMs(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${flag} must be a number of seconds above 0 and at most ${max}, got \`${value}\``);
    return Math.round(n * 1000);
  };
}

/** A whole number from `min` to `max`. */
export function wholeNumber(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} \`${value}\` must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A whole number of at least 1 (`--top`, `--destroy-threshold`). */
export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got \`${value}\``);
    return n;
  };
}

/** A whole number from `min` to `max` (`synth --accounts` and its sizes). */
export function integerFrom(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}, got \`${value}\``);
    return n;
  };
}

/** `auto` or a positive whole number of threads (`verify --threads`), at most `max` when given (`simulate --threads`). */
export function threadsValue(flag: string, max?: number): (value: string) => number | 'auto' {
  const count = positiveInteger(flag);
  return (value) => {
    if (value === 'auto') return 'auto';
    let n: number;
    try {
      n = count(value);
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      throw new InvalidArgumentError(`${flag} must be \`auto\` or a positive integer, got \`${value}\``);
    }
    if (max !== undefined && n > max) throw new InvalidArgumentError(`${flag} must be \`auto\` or a whole number from 1 to ${max}, got \`${value}\``);
    return n;
  };
}
