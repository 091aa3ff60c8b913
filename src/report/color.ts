/**
 * Restrained terminal colour for the text renderers. The library never colours on its own: a renderer takes a
 * `color` option, and the CLI turns it on with `colorWanted` (a terminal, `NO_COLOR` unset). Styles wrap text
 * that is already escaped, so the only escape sequences in the output are these.
 */

/** The styles a text renderer may use; each wraps already-escaped text. */
export interface Palette {
  /** Headings and the organization name. */
  readonly heading: (text: string) => string;
  /** OU names in the tree. */
  readonly ou: (text: string) => string;
  /** Secondary detail: tags, emails, roles, tree lines. */
  readonly dim: (text: string) => string;
  /** Attached SCPs. */
  readonly policy: (text: string) => string;
  /** Production phases and over-quota totals. */
  readonly alert: (text: string) => string;
}

const plain = (text: string): string => text;

/** No colour: every style is the identity. */
export const PLAIN: Palette = { heading: plain, ou: plain, dim: plain, policy: plain, alert: plain };

const sgr = (on: number, off: number) => (text: string): string => (text === '' ? '' : `\u001b[${on}m${text}\u001b[${off}m`);

/** ANSI SGR styles (bold, dim, blue, yellow, red), each reset on its own so they nest. */
export const ANSI: Palette = { heading: sgr(1, 22), ou: sgr(34, 39), dim: sgr(2, 22), policy: sgr(33, 39), alert: sgr(31, 39) };

/** The palette for a `color` option. */
export function palette(color: boolean | undefined): Palette {
  return color === true ? ANSI : PLAIN;
}

/**
 * Whether the CLI should colour output written to a stream: never when `NO_COLOR` is set to anything non-empty
 * (https://no-color.org) or `TERM` is `dumb`; always when `FORCE_COLOR` is set to anything but `0` or `false`;
 * otherwise only when the stream is a terminal.
 */
export function colorWanted(env: Readonly<Record<string, string | undefined>>, isTty: boolean): boolean {
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env['TERM'] === 'dumb') return false;
  return isTty;
}
