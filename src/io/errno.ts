/** The one errno helper of the file-system edge, in a module of its own so readers need not load the writers. */

/** The `code` of a Node.js system error, or undefined for anything else. */
export function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}
