/** The limits of `simulate --batch` input, in a module of their own so the CLI can read them before the engine loads. */

/**
 * The longest `--batch` line, in characters (64 Mi): a line holds one request and its policy documents, and even
 * ten of AWS's largest managed policies take about 1 MB. A longer line is refused (BH3105) without being read, and
 * readers cut it short (`limitLineLength`, and streamed input holds no more of a line), so an endless line
 * (`/dev/zero`) keeps memory bounded.
 */
export const MAX_BATCH_LINE = 64 * 2 ** 20;
