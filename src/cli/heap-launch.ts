/**
 * The heap budget of the commands that analyse a whole organization. V8 grows its heap well ahead of the live data
 * when its limit allows (a 10,000-account `verify` peaked at 2.5 GB with Node's default limit, 1.8 GB with
 * `--max-old-space-size=1800`), and a running process cannot lower its own limit, so `bin/bulkhead.js` asks
 * `heapDecision` first and, for those commands, re-executes the same Node with the limit set (`relaunch`). Every
 * other command runs in the first process: start-up (`--version`, `plan`) pays nothing but this module.
 * Loaded on every run: it imports nothing but the escape helpers; `node:child_process` is loaded only to relaunch.
 */
import { escapeText } from '../util/escape.js';

/**
 * The commands that run the verify engine over an organization (a snapshot or a spec's design): `verify`, `diff`
 * and `drift` (both sides verified), `migrate` (the engine over the snapshot) and `adopt` (verify's attribution
 * over a snapshot). Not `collect` (it streams accounts to disk), `synth`, `plan`, `emit`, `apply`, `check`,
 * `simulate`, `capabilities`, `init`: they hold one spec or one policy set, not an organization's access graph.
 */
export const HEAP_COMMANDS: readonly string[] = ['adopt', 'diff', 'drift', 'migrate', 'verify'];

/** The heap budget in megabytes when `BULKHEAD_MAX_HEAP_MB` is unset. */
export const DEFAULT_HEAP_MB = 1800;

/** The environment variable that overrides the budget (megabytes; `0` or `node`: Node's own default). */
export const HEAP_ENV = 'BULKHEAD_MAX_HEAP_MB';

/** Set by the launcher in its re-executed child: `<launcher pid>;tty` or `<launcher pid>;pipe` (what its stderr is). */
export const CHILD_ENV = 'BULKHEAD_HEAP_CHILD';

/** The exit code of a command that ran out of memory at its heap budget (listed in src/cli/exit-codes.ts). */
export const OUT_OF_MEMORY_EXIT = 5;

/** The largest budget accepted (1 TiB in megabytes): a larger number is a typo, not a machine. */
const MAX_HEAP_MB = 1_048_576;

/** What the launcher does with one run. */
export type HeapDecision =
  /**
   * Run in this process: not an analysing command, a heap size the user set, Node's default asked for, or the
   * child. `flags`: V8 options to set in this process first (those of ANALYSIS_V8_FLAGS the user left unset that V8
   * still reads after start-up; empty for other commands and for the child, which was started with them all).
   */
  | { readonly kind: 'run'; readonly reason: 'other-command' | 'user-heap' | 'node-default' | 'child'; readonly flags: readonly string[] }
  /** Re-execute with `--max-old-space-size=<capMb>` and `flags` (the ANALYSIS_V8_FLAGS the user left unset). */
  | { readonly kind: 'relaunch'; readonly capMb: number; readonly flags: readonly string[] }
  /** A bad `BULKHEAD_MAX_HEAP_MB`: print `message` as a usage error, exit 2. */
  | { readonly kind: 'usage'; readonly message: string };

/** What `heapDecision` looks at. */
export interface HeapInput {
  /** The CLI arguments, without `node` and the script. */
  readonly argv: readonly string[];
  /** `process.execArgv`: Node options on the command line. */
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `process.ppid`, to recognise the launcher's own child. */
  readonly ppid: number;
}

/**
 * V8 options the analysing commands run with besides the heap budget (docs/benchmarks.md, "Pretenuring off, a
 * larger young generation"; single runs of `verify` on the synthetic organization, one thread, 1,800 MB budget):
 * - `--no-allocation-site-pretenuring`: V8 otherwise allocates the objects of an allocation site whose objects
 *   mostly survived their first young-generation collection directly in the old generation; verify's engine phase
 *   makes many such objects that live for one principal's or one account's work, so they died in the old generation
 *   and each full collection, which marks the whole live heap, came sooner. CPU −3 % to −11 % at 2,000 to 10,000
 *   accounts.
 * - `--max-semi-space-size=64` (MB; V8's default here is 16): a young generation four times larger, so objects that
 *   live for an account's work die young instead of being promoted. At 10,000 accounts 174 s wall and 42 s of
 *   main-thread GC against 222 s and 72 s, for ~75 MB more resident memory; 5,000 → 10,000 accounts then costs
 *   ×2.1 wall instead of ×2.5.
 */
export const ANALYSIS_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring', '--max-semi-space-size=64'];

/** Of ANALYSIS_V8_FLAGS, those V8 still reads after start-up (the young generation is sized when the heap is made). */
const RUNTIME_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** A Node option's name as V8 reads it (`_` and `-` are the same; `--no-x` is about `x`), without `=value`. */
function optionName(token: string): string {
  return token.split('=', 1)[0]!.replaceAll('_', '-').replace(/^--no-/, '--');
}

/** The options on Node's command line and in `NODE_OPTIONS` (quotes around a token dropped). */
function nodeTokens(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const fromEnv = (nodeOptions ?? '').split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ''));
  return [...execArgv, ...fromEnv];
}

/** Whether the user gave Node a heap size (`--max-old-space-size`, `--max-heap-size`): on its command line or in `NODE_OPTIONS`. */
export function userSetHeap(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return nodeTokens(execArgv, nodeOptions).some((t) => optionName(t) === '--max-old-space-size' || optionName(t) === '--max-heap-size');
}

/** The ANALYSIS_V8_FLAGS the user did not set themselves, either way (`--allocation-site-pretenuring` keeps V8's default, `--max-semi-space-size=N` their size). */
export function analysisFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const named = new Set(nodeTokens(execArgv, nodeOptions).map(optionName));
  return ANALYSIS_V8_FLAGS.filter((f) => !named.has(optionName(f)));
}

/** The command a run names: its first argument, unless that is an option (`--version`, `--help`). */
function commandOf(argv: readonly string[]): string | undefined {
  const first = argv[0];
  return first === undefined || first.startsWith('-') ? undefined : first;
}

/** Whether help is asked for (`verify --help`): printed by the first process, which needs no budget. */
function asksHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** The budget `BULKHEAD_MAX_HEAP_MB` asks for: megabytes, `0` for Node's default, or a usage message. */
export function heapBudget(value: string | undefined): { readonly capMb: number } | { readonly message: string } {
  const v = (value ?? '').trim();
  if (v === '') return { capMb: DEFAULT_HEAP_MB };
  if (v.toLowerCase() === 'node' || v === '0') return { capMb: 0 };
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (Number.isSafeInteger(n) && n <= MAX_HEAP_MB) return { capMb: n };
  return {
    message:
      `${HEAP_ENV} is \`${escapeText(v)}\`: expected the heap budget in megabytes, a whole number from 1 to ${MAX_HEAP_MB} ` +
      `(default ${DEFAULT_HEAP_MB}), or \`0\` or \`node\` for Node's own default; set it to one of those or unset it`,
  };
}

/** The launcher pid and stderr state the child was given, when this process is the launcher's child. */
export function launchedChild(env: Readonly<Record<string, string | undefined>>, ppid: number): { readonly stderrIsTty: boolean } | undefined {
  const m = /^([0-9]+);(tty|pipe)$/.exec(env[CHILD_ENV] ?? '');
  if (m === null || Number(m[1]) !== ppid) return undefined; // absent, or inherited by a process the child started
  return { stderrIsTty: m[2] === 'tty' };
}

/** Decides, without side effects, whether this run is re-executed with a heap budget and which. */
export function heapDecision(input: HeapInput): HeapDecision {
  const command = commandOf(input.argv);
  if (command === undefined || !HEAP_COMMANDS.includes(command) || asksHelp(input.argv)) return { kind: 'run', reason: 'other-command', flags: [] };
  if (launchedChild(input.env, input.ppid) !== undefined) return { kind: 'run', reason: 'child', flags: [] };
  const flags = analysisFlags(input.execArgv, input.env['NODE_OPTIONS']);
  const inProcess = flags.filter((f) => RUNTIME_V8_FLAGS.includes(f));
  if (userSetHeap(input.execArgv, input.env['NODE_OPTIONS'])) return { kind: 'run', reason: 'user-heap', flags: inProcess };
  const budget = heapBudget(input.env[HEAP_ENV]);
  if ('message' in budget) return { kind: 'usage', message: budget.message };
  return budget.capMb === 0 ? { kind: 'run', reason: 'node-default', flags: inProcess } : { kind: 'relaunch', capMb: budget.capMb, flags };
}

/** The one error line printed instead of V8's out-of-memory report. */
export function outOfMemoryMessage(command: string, capMb: number): string {
  return (
    `error: \`bulkhead ${escapeText(command)}\` ran out of memory at its ${capMb} MB heap budget; ` +
    `give it more with ${HEAP_ENV}=<megabytes> (for example ${HEAP_ENV}=${capMb * 2}), ` +
    `or ${HEAP_ENV}=node for Node's own default (see "Size and memory" in docs/verify.md)\n`
  );
}

/** The first line of V8's fatal out-of-memory report (`<--- Last few GCs --->`), or its `FATAL ERROR:`/`#` line. */
const REPORT_START = /^(?:<--- Last few GCs --->|<--- JS stacktrace --->|FATAL ERROR:|# Fatal (?:javascript|process) OOM)/;
/** What says the report is about memory (anything else held back is forwarded at the end). */
const OUT_OF_MEMORY = /heap out of memory|Fatal (?:javascript|process) OOM|Fatal process out of memory/;
const MARKERS = ['<--- Last few GCs --->', '<--- JS stacktrace --->', 'FATAL ERROR:', '# Fatal javascript OOM', '# Fatal process OOM'];

/**
 * The child's stderr on its way to the user: text is passed on as it arrives (a progress line without a newline
 * included), except V8's fatal out-of-memory report, which is held back from its first line on. Only line breaks
 * and the start of a line that could still become such a first line are held, until the next character.
 */
export class StderrFilter {
  private pending = '';
  private held = '';
  private holding = false;
  /** Whether the text passed on last ended inside a line (the next chunk continues it). */
  private midLine = false;
  /** Whether V8's out-of-memory report was seen (or text that reads like it: `end` is told whether the child crashed). */
  oom = false;

  /** Takes a chunk of the child's stderr; returns the text to pass on now. */
  push(chunk: string): string {
    if (this.holding) {
      this.held += chunk;
      this.oom ||= OUT_OF_MEMORY.test(this.held);
      return '';
    }
    let text = this.pending + chunk;
    this.pending = '';
    let out = '';
    while (text !== '') {
      if (this.midLine) {
        const end = text.search(/[\r\n]/);
        if (end === -1) return out + text;
        out += text.slice(0, end + 1);
        text = text.slice(end + 1);
        this.midLine = false;
        continue;
      }
      const breaks = /^[\r\n]*/.exec(text)![0]; // blank lines before the report are its own: held with it
      const rest = text.slice(breaks.length);
      if (REPORT_START.test(rest)) {
        this.holding = true;
        return out + this.push(text);
      }
      if (!/[\r\n]/.test(rest) && MARKERS.some((m) => m.startsWith(rest))) {
        this.pending = text; // might still become the report's first line
        return out;
      }
      out += breaks;
      text = rest;
      this.midLine = true;
    }
    return out;
  }

  /**
   * At the end of the stream: what is still held, unless it is the out-of-memory report. `crashed`: whether the
   * child was ended by a signal, as V8's fatal report ends it; text that only reads like the report (a path the
   * user gave, echoed at the start of a line) from a child that exited by itself is passed on whole.
   */
  end(crashed = true): string {
    const rest = this.oom && crashed ? '' : this.pending + this.held;
    this.pending = '';
    this.held = '';
    return rest;
  }
}

/** Signals passed on to the child (a terminal's Ctrl-C reaches both; a `kill` of the launcher only it). */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What `relaunch` needs of the running process: injectable for tests. */
export interface RelaunchContext {
  readonly argv: readonly string[];
  /** The script that starts the CLI (`bin/bulkhead.js`). */
  readonly script: string;
  readonly capMb: number;
  /** V8 options added before the budget (HeapDecision's `flags`). */
  readonly flags: readonly string[];
}

/**
 * Runs the CLI again in a child Node (`process.execPath`, `process.execArgv` kept) with `flags` and `--max-old-space-size`,
 * stdin and stdout inherited, stderr forwarded through `StderrFilter`, and the signals above passed on. Resolves
 * with the exit code: the child's; 128 + n for a child killed by signal n; `OUT_OF_MEMORY_EXIT` when V8 reported
 * that the heap ran out and the child was ended by a signal (the abort that follows the report).
 */
export async function relaunch(ctx: RelaunchContext): Promise<number> {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const stderr = process.stderr;
  const marker = `${process.pid};${stderr.isTTY ? 'tty' : 'pipe'}`;
  const child = spawn(process.execPath, [...process.execArgv, ...ctx.flags, `--max-old-space-size=${ctx.capMb}`, ctx.script, ...ctx.argv], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, [CHILD_ENV]: marker },
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  let stderrOpen = true;
  stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stderrOpen = false; // the reader went away (`2>&1 | head`): keep draining the child, write no more
    child.stderr.resume();
  });
  const write = (text: string) => {
    if (text !== '' && stderrOpen && !stderr.write(text)) {
      child.stderr.pause();
      stderr.once('drain', () => child.stderr.resume());
    }
  };
  const filter = new StderrFilter();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => write(filter.push(chunk)));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', (e) => {
      // the node binary could not be started (out of processes or memory): no child to wait for
      write(`internal error: could not start \`${escapeText(process.execPath)}\` for \`bulkhead ${escapeText(ctx.argv[0] ?? '')}\`: ${escapeText(e.message)}\n`);
      resolve([70, null]);
    });
    child.once('close', (c, s) => resolve([c, s]));
  });
  for (const s of FORWARDED) process.off(s, forward);
  const outOfMemory = filter.oom && signal !== null; // V8's fatal report aborts the process
  write(filter.end(signal !== null));
  if (outOfMemory) {
    write(outOfMemoryMessage(ctx.argv[0] ?? '', ctx.capMb));
    return OUT_OF_MEMORY_EXIT;
  }
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return code ?? 1;
}

/**
 * The launcher's step before the CLI: `undefined` to run the CLI in this process, or the exit code of a run it
 * handled (a relaunched child's, or 2 for a bad `BULKHEAD_MAX_HEAP_MB`).
 */
export async function launch(argv: readonly string[], script: string): Promise<number | undefined> {
  const decision = heapDecision({ argv, execArgv: process.execArgv, env: process.env, ppid: process.ppid });
  if (decision.kind === 'usage') {
    process.stderr.write(`error: ${decision.message}\n(run \`bulkhead help\` for usage)\n`);
    return 2;
  }
  if (decision.kind === 'relaunch') return relaunch({ argv, script, capMb: decision.capMb, flags: decision.flags });
  if (decision.flags.length > 0) {
    const { setFlagsFromString } = await import('node:v8'); // V8 reads these when it collects, so setting them now works
    for (const f of decision.flags) setFlagsFromString(f);
  }
  return undefined;
}
