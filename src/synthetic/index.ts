/** Synthetic organizations for benchmarks, demos and tests. */

/** Generates a synthetic organization model from a seed. */
export { synthOrganization, type SynthOptions } from './synth.js';
/** Writes a synthetic model in the snapshot format. */
export { synthSnapshot } from './snapshot.js';
