/** `verify --threads auto` never runs slower than one thread: the choice reads cores and load, injected here (no timings). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeHost, type HostEvent } from './host.js';
import { chooseThreads, machineLoad, PARALLEL_MIN_PRINCIPALS, verifyTarget } from './verify.js';

const LARGE = PARALLEL_MIN_PRINCIPALS;

describe('verify thread choice', () => {
  it('auto is one thread on fewer than 4 cores, however idle', () => {
    expect(chooseThreads(LARGE, 'auto', { cores: 2, loadAverage: 0 })).toBe(1);
    expect(chooseThreads(LARGE, 'auto', { cores: 3, loadAverage: 0 })).toBe(1);
    expect(chooseThreads(LARGE, undefined, { cores: 3, loadAverage: 0 })).toBe(1);
  });

  it('auto is one thread when the load leaves fewer than 2 idle cores', () => {
    expect(chooseThreads(LARGE, 'auto', { cores: 4, loadAverage: 2.5 })).toBe(1);
    expect(chooseThreads(LARGE, 'auto', { cores: 8, loadAverage: 7 })).toBe(1);
    expect(chooseThreads(LARGE, 'auto', { cores: 8, loadAverage: 12 })).toBe(1);
  });

  it('auto uses the idle cores, at most all cores, on 4 cores or more', () => {
    expect(chooseThreads(LARGE, 'auto', { cores: 4, loadAverage: 2 })).toBe(2);
    expect(chooseThreads(LARGE, 'auto', { cores: 4, loadAverage: 0 })).toBe(4);
    expect(chooseThreads(LARGE, 'auto', { cores: 8, loadAverage: 3.4 })).toBe(4);
    expect(chooseThreads(LARGE, 'auto', { cores: 8, loadAverage: -1 })).toBe(8);
  });

  it('auto is one thread for small organizations', () => {
    expect(chooseThreads(LARGE - 1, 'auto', { cores: 16, loadAverage: 0 })).toBe(1);
  });

  it('an explicit count is bounded by the cores only, whatever the load', () => {
    expect(chooseThreads(1, 3, { cores: 2, loadAverage: 5 })).toBe(2);
    expect(chooseThreads(1, 3, { cores: 8, loadAverage: 8 })).toBe(3);
    expect(chooseThreads(1, 0, { cores: 8, loadAverage: 0 })).toBe(1);
  });

  it('reads this machine', () => {
    const m = machineLoad();
    expect(m.cores).toBeGreaterThanOrEqual(1);
    expect(m.loadAverage).toBeGreaterThanOrEqual(0);
  });

  it('verifyTarget asks the machine it is given', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples/acme.yaml'), 'utf8');
    const events: HostEvent[] = [];
    let asked = 0;
    const machine = () => {
      asked++;
      return { cores: 1, loadAverage: 0 };
    };
    const r = await verifyTarget({ target: { text, label: 'acme.yaml' }, threads: 200, machine }, nodeHost({ report: (e) => events.push(e) }));
    expect(r.ok).toBe(true);
    expect(asked).toBe(1);
    expect(events.map((e) => e.message).join('\n')).toMatch(/on 1 thread\b/);
  });
});
