/**
 * `bulkhead capabilities ACTION…`: the command's options; the work is in ./capabilities-action.ts, loaded
 * (with the catalogue) when it runs.
 */
import { Option } from 'commander';
import type { CapabilitiesCliOptions } from './capabilities-action.js';
import type { CommandRegistrar } from './registrar.js';

/** Collects a repeatable, comma-separable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** Registers `capabilities`. */
export const registerCapabilities: CommandRegistrar = (program, io, setExit) => {
  program
    .command('capabilities')
    .description('show the access capabilities of IAM actions, or list the actions with a capability')
    .argument('[actions...]', 'actions or patterns, e.g. s3:GetObject "s3:Get*" (quote patterns for the shell)')
    .option('-c, --capability <cap>', 'only actions with this capability (repeatable, or comma-separated)', collect, [])
    .option('-s, --service <prefix>', 'only actions of this service; alone, lists all its actions (repeatable, or comma-separated)', collect, [])
    .option('--explain', 'show which rule or access-level default gave each action its capabilities')
    .option('--policy', 'print the compact action patterns a generated policy uses for --capability in --service')
    .option('--compact', 'with --policy: cut patterns anywhere, not only at word boundaries (shorter)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Capabilities: administer-resource, read-config, read-data, write-data, delete-data, use-resource.
Examples:
  bulkhead capabilities s3:GetObject sqs:PurgeQueue
  bulkhead capabilities 's3:Get*' --explain
  bulkhead capabilities --capability read-data --service s3
  bulkhead capabilities --service sqs --explain
  bulkhead capabilities --policy --capability read-data,write-data`,
    )
    .action(async (args: string[], opts: CapabilitiesCliOptions) =>
      (await import('./capabilities-action.js')).runCapabilities(io, setExit, args, opts),
    );
};
