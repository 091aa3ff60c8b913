/** The host the CLI gives operations: its working directory and clock, real files and SDK clients, progress on a terminal. */
import { nodeAws, nodeFiles, type Host } from '../operations/host.js';
import { progressLine } from './aws-options.js';
import { escapedLine, type CliIo } from './io.js';

/**
 * Builds the operations host for one CLI run; progress events redraw one stderr line on a terminal only. Notes and
 * progress text are escaped (`escapedLine`, `progressLine`): an event may echo a name from a spec or AWS.
 */
export function cliHost(io: CliIo): Host & { readonly finish: () => void } {
  const progress = progressLine(io);
  return {
    cwd: io.cwd,
    now: io.now,
    files: nodeFiles(),
    aws: nodeAws, // loads the AWS SDK on first use: commands that never call AWS never load it
    report: (event) => {
      if (event.kind === 'progress') progress.update(event.message);
      else io.stderr(escapedLine(`note: ${event.message}`));
    },
    finish: () => progress.done(),
  };
}
