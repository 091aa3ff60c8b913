/** verify's thread count is bounded by memory: every thread holds its own heap with its own copy of the nodes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeHost } from './host.js';
import { verifyTarget } from './verify.js';
import { heapLimitBytes, memoryThreads, threadFootprintBytes, threadsWithinMemory } from './verify-threads.js';

const MB = 1048576;
/** `heap_size_limit` under `--max-old-space-size=1800` (V8 adds the young generation). */
const LIMIT_1800 = 1848 * MB;
/** `bench:verify`'s synthetic organization: 20 roles and 50 resources per account. */
const nodes = (accounts: number) => accounts * 70;

describe('verify threads by memory', () => {
  it('an 1,800 MB heap runs 10,000 and 5,000 accounts on one thread, 1,000 on two or more', () => {
    expect(memoryThreads(nodes(10_000), LIMIT_1800)).toBe(1);
    expect(memoryThreads(nodes(5_000), LIMIT_1800)).toBe(1);
    expect(memoryThreads(nodes(2_000), LIMIT_1800)).toBe(3);
    expect(memoryThreads(nodes(1_000), LIMIT_1800)).toBeGreaterThanOrEqual(2);
  });

  it('the estimate grows linearly with the nodes, from a fixed base', () => {
    const a = threadFootprintBytes(nodes(1_000));
    const b = threadFootprintBytes(nodes(2_000));
    expect(b - a).toBe(a - threadFootprintBytes(0));
    // calibrated on 155.5 MB live at the engine phase's end for 1,000 accounts (one thread)
    expect(a / MB).toBeGreaterThan(150);
    expect(a / MB).toBeLessThan(160);
  });

  it('never fewer than one thread, however small the heap', () => {
    expect(memoryThreads(nodes(10_000), 64 * MB)).toBe(1);
  });

  it('auto takes the smaller of the cores and the memory choice', () => {
    expect(threadsWithinMemory(nodes(1_000), 'auto', 2, LIMIT_1800)).toEqual({ threads: 2, diagnostics: [] });
    expect(threadsWithinMemory(nodes(10_000), 'auto', 4, LIMIT_1800)).toEqual({ threads: 1, diagnostics: [] });
    expect(threadsWithinMemory(nodes(2_000), undefined, 8, LIMIT_1800)).toEqual({ threads: 3, diagnostics: [] });
  });

  it('an explicit count stays the user’s, with a warning when it exceeds the budget', () => {
    expect(threadsWithinMemory(nodes(1_000), 2, 2, LIMIT_1800)).toEqual({ threads: 2, diagnostics: [] });
    const over = threadsWithinMemory(nodes(10_000), 2, 2, LIMIT_1800);
    expect(over.threads).toBe(2);
    expect(over.diagnostics.map((d) => [d.code, d.severity])).toEqual([['BH7250', 'warning']]);
    expect(over.diagnostics[0]!.message).toMatch(/`--threads 2` likely exceeds the memory budget: 700000 principals and resources .*1848 MB heap limit; use `--threads 1`/);
  });

  it('reads this process’s heap limit', () => {
    expect(heapLimitBytes()).toBeGreaterThan(16 * MB);
  });

  it('verifyTarget reads the heap limit of the machine it is given', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples/acme.yaml'), 'utf8');
    const machine = () => ({ cores: 8, loadAverage: 0, heapLimitBytes: 1 * MB });
    const r = await verifyTarget({ target: { text, label: 'acme.yaml' }, threads: 2, machine }, nodeHost());
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => d.code === 'BH7250')).toHaveLength(1);
    const auto = await verifyTarget({ target: { text, label: 'acme.yaml' }, threads: 'auto', machine }, nodeHost());
    expect(auto.diagnostics.filter((d) => d.code === 'BH7250')).toHaveLength(0);
  });
});
