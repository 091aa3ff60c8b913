/** The launcher's decision (which runs get a heap budget) and its stderr filter (V8's out-of-memory report held back). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from './exit-codes.js';
import { ANALYSIS_V8_FLAGS, DEFAULT_HEAP_MB, analysisFlags, HEAP_COMMANDS, OUT_OF_MEMORY_EXIT, StderrFilter, heapBudget, heapDecision, launchedChild, outOfMemoryMessage, userSetHeap, type HeapInput } from './heap-launch.js';

const TUNED = ['--no-allocation-site-pretenuring', '--max-semi-space-size=64'];
/** What can still be set in a running process (the young generation is sized at start-up). */
const IN_PROCESS = ['--no-allocation-site-pretenuring'];
const input = (argv: readonly string[], over: Partial<HeapInput> = {}): HeapInput => ({ argv, execArgv: [], env: {}, ppid: 4242, ...over });

describe('heapDecision', () => {
  it('relaunches the commands that analyse an organization with the default budget', () => {
    for (const command of ['verify', 'diff', 'drift', 'migrate', 'adopt']) {
      expect(heapDecision(input([command, 'snap']))).toEqual({ kind: 'relaunch', capMb: DEFAULT_HEAP_MB, flags: TUNED });
    }
    expect([...HEAP_COMMANDS].sort()).toEqual(['adopt', 'diff', 'drift', 'migrate', 'verify']);
    expect(DEFAULT_HEAP_MB).toBe(1800);
    // the exit-code table (import-free, so spelled out there) lists the out-of-memory code for the same commands
    expect(EXIT_CODES.find((r) => r.code === OUT_OF_MEMORY_EXIT)?.commands).toEqual([...HEAP_COMMANDS]);
  });

  it('runs every other command, help and version in the first process', () => {
    for (const argv of [['--version'], ['-V'], [], ['help', 'verify'], ['plan', 'x.yaml'], ['synth', '--accounts', '10'], ['collect', '--out', 'd'], ['check', 'new-access'], ['simulate', 'f'], ['verify', '--help'], ['diff', 'a', 'b', '-h']]) {
      expect(heapDecision(input(argv))).toEqual({ kind: 'run', reason: 'other-command', flags: [] });
    }
    // an operand after `--` that reads `--help` is an operand, not help
    expect(heapDecision(input(['verify', '--', '--help'])).kind).toBe('relaunch');
  });

  it('leaves a heap size the user set alone: on the node command line or in NODE_OPTIONS', () => {
    for (const execArgv of [['--max-old-space-size=4000'], ['--max_old_space_size=100'], ['--max-old-space-size', '300'], ['--max-heap-size=900']]) {
      expect(heapDecision(input(['verify', 's'], { execArgv }))).toEqual({ kind: 'run', reason: 'user-heap', flags: IN_PROCESS });
    }
    for (const NODE_OPTIONS of ['--max-old-space-size=4000', '--enable-source-maps  --max-old-space-size=8192', '"--max-old-space-size=10"']) {
      expect(heapDecision(input(['verify', 's'], { env: { NODE_OPTIONS } }))).toEqual({ kind: 'run', reason: 'user-heap', flags: IN_PROCESS });
    }
    // other Node options are kept and do not count
    expect(heapDecision(input(['verify', 's'], { execArgv: ['--enable-source-maps'], env: { NODE_OPTIONS: '--max-semi-space-size=64' } })).kind).toBe('relaunch');
  });

  it('adds the analysis V8 options unless the user set them either way, also where the heap is the user’s', () => {
    expect(ANALYSIS_V8_FLAGS).toEqual(TUNED);
    const semi = ['--max-semi-space-size=64'];
    for (const own of ['--allocation-site-pretenuring', '--no-allocation-site-pretenuring', '--allocation_site_pretenuring', '--no_allocation_site_pretenuring']) {
      expect(analysisFlags([own], undefined)).toEqual(semi);
      expect(analysisFlags([], `--enable-source-maps ${own}`)).toEqual(semi);
      expect(heapDecision(input(['verify', 's'], { execArgv: [own] }))).toEqual({ kind: 'relaunch', capMb: DEFAULT_HEAP_MB, flags: semi });
      expect(heapDecision(input(['verify', 's'], { execArgv: [own, '--max-old-space-size=900'] }))).toEqual({ kind: 'run', reason: 'user-heap', flags: [] });
    }
    for (const own of [['--max-semi-space-size=8'], ['--max_semi_space_size', '128']]) {
      expect(analysisFlags(own, undefined)).toEqual(IN_PROCESS);
      expect(analysisFlags([], own.join(' '))).toEqual(IN_PROCESS);
    }
    // other options, and a longer name that only starts the same, do not count
    expect(analysisFlags(['--enable-source-maps', '--allocation-site-pretenuring-x'], '--max-old-space-size=64 --max-semi-space')).toEqual(TUNED);
    // the launcher's child was started with them; nothing to add
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_HEAP_CHILD: '4242;pipe' } }))).toEqual({ kind: 'run', reason: 'child', flags: [] });
  });

  it('bench:diff (one process, no launcher) runs with the heap budget and V8 options the CLI gives diff', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const options = scripts['bench:diff']!.split(' ');
    for (const f of [...ANALYSIS_V8_FLAGS, `--max-old-space-size=${DEFAULT_HEAP_MB}`]) expect(options).toContain(f);
  });

  it('takes the budget from BULKHEAD_MAX_HEAP_MB: megabytes, or 0 / node for Node’s own default', () => {
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_MAX_HEAP_MB: '3600' } }))).toEqual({ kind: 'relaunch', capMb: 3600, flags: TUNED });
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_MAX_HEAP_MB: ' 40 ' } }))).toEqual({ kind: 'relaunch', capMb: 40, flags: TUNED });
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_MAX_HEAP_MB: '' } }))).toEqual({ kind: 'relaunch', capMb: 1800, flags: TUNED });
    for (const v of ['0', 'node', 'NODE']) {
      expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_MAX_HEAP_MB: v } }))).toEqual({ kind: 'run', reason: 'node-default', flags: IN_PROCESS });
    }
    // the user's own flag wins over the variable
    expect(heapDecision(input(['verify', 's'], { execArgv: ['--max-old-space-size=99'], env: { BULKHEAD_MAX_HEAP_MB: '40' } })).kind).toBe('run');
  });

  it('a bad BULKHEAD_MAX_HEAP_MB is a usage error naming the value and what to set', () => {
    for (const v of ['1.5g', '-1', '2GB', '99999999', 'auto']) {
      const d = heapDecision(input(['verify', 's'], { env: { BULKHEAD_MAX_HEAP_MB: v } }));
      expect(d.kind).toBe('usage');
      if (d.kind === 'usage') {
        expect(d.message).toContain(`BULKHEAD_MAX_HEAP_MB is \`${v}\``);
        expect(d.message).toContain('megabytes');
        expect(d.message).toContain('unset it');
      }
    }
    // a value with a terminal escape is shown escaped
    expect(heapBudget('\x1b[31m')).toEqual({ message: expect.not.stringContaining('\x1b') });
    // only the analysing commands read it
    expect(heapDecision(input(['plan', 'x'], { env: { BULKHEAD_MAX_HEAP_MB: 'nope' } })).kind).toBe('run');
  });

  it("recognises the launcher's own child by its parent's pid, so it never relaunches again", () => {
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_HEAP_CHILD: '4242;pipe' } }))).toEqual({ kind: 'run', reason: 'child', flags: [] });
    // a process the child started inherits the variable but has another parent
    expect(heapDecision(input(['verify', 's'], { env: { BULKHEAD_HEAP_CHILD: '17;pipe' } })).kind).toBe('relaunch');
  });
});

describe('userSetHeap', () => {
  it('is false without heap flags', () => {
    expect(userSetHeap([], undefined)).toBe(false);
    expect(userSetHeap(['--import', 'tsx'], '--no-warnings')).toBe(false);
  });
});

describe('launchedChild', () => {
  it("reads the launcher's stderr state only in its direct child", () => {
    expect(launchedChild({ BULKHEAD_HEAP_CHILD: '10;tty' }, 10)).toEqual({ stderrIsTty: true });
    expect(launchedChild({ BULKHEAD_HEAP_CHILD: '10;pipe' }, 10)).toEqual({ stderrIsTty: false });
    expect(launchedChild({ BULKHEAD_HEAP_CHILD: '10;tty' }, 11)).toBeUndefined();
    expect(launchedChild({ BULKHEAD_HEAP_CHILD: '10;tty=120' }, 10)).toBeUndefined();
    expect(launchedChild({ BULKHEAD_HEAP_CHILD: 'yes' }, 10)).toBeUndefined();
    expect(launchedChild({}, 10)).toBeUndefined();
  });
});

/** What Node 20 writes when the heap runs out (the addresses shortened). */
const V8_REPORT =
  '\n<--- Last few GCs --->\n\n[123:0x6a1b000]     4107 ms: Mark-Compact 38.9 (41.8) -> 38.2 (42.1) MB, 40.1 / 0.0 ms  (average mu = 0.2) allocation failure\n\n' +
  '<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n----- Native stack trace -----\n\n' +
  ' 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]\n 2: 0xf06250 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]\n';

/** Feeds `text` in chunks of `size` characters; returns what was passed on and the filter. */
function feed(text: string, size: number): { out: string; filter: StderrFilter } {
  const filter = new StderrFilter();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += filter.push(text.slice(i, i + size));
  return { out: out + filter.end(), filter };
}

describe('StderrFilter', () => {
  it('holds back V8’s out-of-memory report however it is split, and passes on what came before', () => {
    const before = 'warning: BH1234 something\n\r\x1b[2Kverify: 30 of 100 principals';
    for (const size of [1, 2, 7, 64, 10_000]) {
      const { out, filter } = feed(before + '\r\x1b[2K' + V8_REPORT, size);
      expect(filter.oom).toBe(true);
      // the report's first newline ends the line it interrupts, so the launcher's message starts a line of its own
      expect(out).toBe(before + '\r\x1b[2K\n');
      expect(out).not.toContain('FATAL ERROR');
      expect(out).not.toContain('Native stack');
    }
  });

  it('passes a progress line on as it arrives, without waiting for a newline', () => {
    const filter = new StderrFilter();
    expect(filter.push('\r\x1b[2Kverify: 10 of 100')).toBe('\r\x1b[2Kverify: 10 of 100');
    expect(filter.push('\r\x1b[2Kverify: 20 of 100')).toBe('\r\x1b[2Kverify: 20 of 100');
    expect(filter.push('\n')).toBe('\n');
    expect(filter.push('error: x')).toBe('error: x');
  });

  it('holds only the start of a line that could still become the report, and passes it on when it does not', () => {
    const filter = new StderrFilter();
    expect(filter.push('done\n')).toBe('done\n');
    expect(filter.push('FATAL')).toBe('');
    expect(filter.push(' is a word\n')).toBe('FATAL is a word\n');
    expect(filter.push('\n')).toBe('');
    expect(filter.end()).toBe('\n');
    expect(filter.oom).toBe(false);
  });

  it('text that only reads like the report, from a child that exited by itself, is passed on at the end, whole', () => {
    const echoed = 'FATAL ERROR: heap out of memory: error BH7001: verify target `FATAL ERROR: heap out of memory` does not exist\n';
    const filter = new StderrFilter();
    expect(filter.push(echoed)).toBe('');
    expect(filter.oom).toBe(true);
    expect(filter.end(false)).toBe(echoed);
  });

  it('a fatal error that is not about memory is passed on at the end, whole', () => {
    const other = 'FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n 1: 0xb8ced1 node::Abort() [node]\n';
    const { out, filter } = feed(other, 5);
    expect(filter.oom).toBe(false);
    expect(out).toBe(other);
  });
});

describe('outOfMemoryMessage', () => {
  it('says what ran out, at which budget, and how to raise it', () => {
    const m = outOfMemoryMessage('verify', 40);
    expect(m).toBe(
      'error: `bulkhead verify` ran out of memory at its 40 MB heap budget; give it more with BULKHEAD_MAX_HEAP_MB=<megabytes> (for example BULKHEAD_MAX_HEAP_MB=80), or BULKHEAD_MAX_HEAP_MB=node for Node\'s own default (see "Size and memory" in docs/verify.md)\n',
    );
  });
});
