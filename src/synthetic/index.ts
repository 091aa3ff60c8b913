/** Synthetic organizations for benchmarks, demos and tests. */
export { synthOrganization, type SynthOptions } from './synth.js';
export { synthSnapshot } from './snapshot.js';
