/**
 * `bulkhead emit SPEC --format terraform|cloudformation --out DIR`: plan the spec and write Terraform or
 * CloudFormation into DIR. The emitters are pure; this edge reads the previous manifest, refuses to overwrite
 * foreign files, and swaps the directory in atomically so a failure never leaves partial output.
 */
import { chmod, mkdtemp, readFile, readdir, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import { error, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { emitCloudFormation } from '../../emit/cloudformation.js';
import { MANIFEST_FILE, parseManifest, type EmitManifest } from '../../emit/manifest.js';
import { emitTerraform, type EmitOptions } from '../../emit/terraform.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { ExitCode, UsageError } from '../io.js';
import { loadSpecModel } from '../spec-input.js';
import type { CommandRegistrar } from './registrar.js';

/** Diagnostic codes of the emit command's file handling (stable). */
export const EmitCliCode = {
  ForeignFiles: 'BH8120',
  NotADirectory: 'BH8121',
  WriteFailed: 'BH8122',
  ManifestUnreadable: 'BH8123',
  ProtectedDirectory: 'BH8124',
} as const;

/**
 * Files a user keeps next to emitted Terraform and that bulkhead never writes: working directory, state, backend,
 * variable values and override files. They survive a re-emit and do not count as foreign.
 */
export function isTerraformUserFile(name: string): boolean {
  return (
    name === '.terraform' ||
    name === '.terraform.lock.hcl' ||
    name.startsWith('terraform.tfstate') ||
    name === '.terraform.tfstate.lock.info' ||
    name === 'backend.tf' ||
    name === 'override.tf' ||
    name.endsWith('_override.tf') ||
    name.endsWith('.tfvars') ||
    name.endsWith('.tfvars.json')
  );
}

interface Opts {
  format: 'terraform' | 'cloudformation';
  out: string;
  force?: boolean;
  accessRoleName?: string;
  organizationId?: string;
  accountId: string[];
  renameAccount: string[];
  renameOu: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function pairs(values: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`${option} takes NAME=VALUE, got \`${v}\``);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** Top-level entries of DIR (files and directories), or undefined when DIR does not exist. */
async function entries(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Looks at an existing output directory: its manifest, the user files to keep, and foreign entries. */
async function inspectDir(
  dir: string,
  format: Opts['format'],
): Promise<{ manifest?: EmitManifest; keep: string[]; foreign: string[]; diagnostics: Diagnostic[] }> {
  const d: Diagnostic[] = [];
  try {
    if (!(await stat(dir)).isDirectory()) {
      return { keep: [], foreign: [], diagnostics: [error(EmitCliCode.NotADirectory, `output \`${dir}\` exists and is not a directory; choose another --out`)] };
    }
  } catch {
    return { keep: [], foreign: [], diagnostics: [] };
  }
  const names = (await entries(dir)) ?? [];
  let manifest: EmitManifest | undefined;
  if (names.includes(MANIFEST_FILE)) {
    manifest = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    if (!manifest) d.push(warning(EmitCliCode.ManifestUnreadable, `\`${join(dir, MANIFEST_FILE)}\` is not a bulkhead manifest; its directory's files count as foreign`));
  }
  // Ours: exactly the files the manifest lists (a user's file dropped into `stacksets/` is foreign too).
  const ours = new Set(manifest?.files ?? []);
  const keep = format === 'terraform' ? names.filter(isTerraformUserFile) : [];
  const foreign: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const full = join(dir, rel);
    if ((await stat(full)).isDirectory()) {
      for (const n of (await entries(full)) ?? []) await walk(`${rel}/${n}`);
    } else if (!ours.has(rel)) foreign.push(rel);
  };
  for (const n of names) if (!keep.includes(n)) await walk(n);
  return { ...(manifest ? { manifest } : {}), keep, foreign, diagnostics: d };
}

/**
 * Replaces DIR with the emitted files in one rename: they are written to a temporary sibling, the user files to
 * keep are moved over from the old directory, then the new directory takes the old one's place.
 */
export async function replaceDir(dir: string, files: ReadonlyMap<string, string>, keep: readonly string[]): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(dir)}.tmp-`));
  // mkdtemp creates the directory private (0700); the output is an ordinary directory.
  await chmod(tmp, 0o755);
  const old = `${tmp}.old`;
  const moved: string[] = [];
  let oldAside = false;
  try {
    for (const [rel, content] of files) {
      const p = join(tmp, rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, content, 'utf8');
    }
    for (const name of keep) {
      await rename(join(dir, name), join(tmp, name));
      moved.push(name);
    }
    const exists = (await entries(dir)) !== undefined;
    if (exists) {
      await rename(dir, old);
      oldAside = true;
    }
    await rename(tmp, dir);
    oldAside = false;
    if (exists) await rm(old, { recursive: true, force: true });
  } catch (e) {
    // Undo: the old directory back in place, the user's files back into it, the temporary directory gone.
    if (oldAside) await rename(old, dir).catch(() => undefined);
    for (const name of moved) await rename(join(tmp, name), join(dir, name)).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Registers `bulkhead emit`. */
export const registerEmit: CommandRegistrar = (program, io, setExit) => {
  program
    .command('emit')
    .description('write Terraform or CloudFormation for the organization a spec designs')
    .argument('<spec>', 'spec file (YAML), or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terraform', 'cloudformation']).makeOptionMandatory())
    .requiredOption('-o, --out <dir>', 'output directory (written atomically)')
    .option('--force', 'replace an output directory that holds files bulkhead did not write (they are deleted)')
    .option('--access-role-name <name>', 'role the management account assumes in member accounts (default: from the spec)')
    .option('--organization-id <id>', 'adopt this existing organization (Terraform: writes an import block)')
    .option('--account-id <name=id>', 'adopt an existing account (Terraform: import block); repeatable', collect, [])
    .option('--rename-account <old=new>', 'an account was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .option('--rename-ou <old=new>', 'an OU path was renamed since the last emit (Terraform: moved blocks); repeatable', collect, [])
    .action(async (spec: string, opts: Opts) => {
      const out = resolve(io.cwd, opts.out);
      const options: EmitOptions = {
        accountIds: pairs(opts.accountId, '--account-id'),
        renamedAccounts: pairs(opts.renameAccount, '--rename-account'),
        renamedOus: pairs(opts.renameOu, '--rename-ou'),
        ...(opts.accessRoleName !== undefined ? { accessRoleName: opts.accessRoleName } : {}),
        ...(opts.organizationId !== undefined ? { organizationId: opts.organizationId } : {}),
      };
      const model = await loadSpecModel(io, spec);
      if (!model) return setExit(ExitCode.InvalidInput);

      const dir = await inspectDir(out, opts.format);
      if (dir.diagnostics.some((x) => x.severity === 'error')) {
        printDiagnostics(io, dir.diagnostics);
        return setExit(ExitCode.InvalidInput);
      }
      // Even --force never deletes a repository or the spec being emitted.
      const specRel = spec === '-' ? undefined : relative(out, resolve(io.cwd, spec));
      const protectedFiles = dir.foreign.filter((f) => f === '.git' || f.startsWith('.git/') || f === specRel);
      if (protectedFiles.length > 0) {
        const what = protectedFiles.some((f) => f === specRel) ? `the spec \`${spec}\`` : 'a `.git` repository';
        printDiagnostics(io, [
          error(EmitCliCode.ProtectedDirectory, `output directory \`${opts.out}\` contains ${what}; replacing it would delete it, even with --force; choose a dedicated output directory`),
        ]);
        return setExit(ExitCode.InvalidInput);
      }
      if (dir.foreign.length > 0 && !opts.force) {
        const shown = dir.foreign.slice(0, 5).map((f) => `\`${f}\``).join(', ');
        const more = dir.foreign.length > 5 ? ` and ${dir.foreign.length - 5} more` : '';
        printDiagnostics(io, [
          ...dir.diagnostics,
          error(EmitCliCode.ForeignFiles, `output directory \`${opts.out}\` holds files bulkhead did not write (${shown}${more}); choose an empty directory or pass --force to replace them`),
        ]);
        return setExit(ExitCode.InvalidInput);
      }
      const previous = dir.manifest?.format === opts.format ? dir.manifest : undefined;
      const emitOptions = previous ? { ...options, previous } : options;
      const result = opts.format === 'terraform' ? emitTerraform(model, emitOptions) : emitCloudFormation(model, emitOptions);
      // The planner already validated every planned policy document and reported its warnings with file positions;
      // the emitter's own validation would repeat them at model paths. Errors are always shown.
      const fresh = result.diagnostics.filter((x) => x.severity === 'error' || !x.code.startsWith('BH3'));
      printDiagnostics(io, [...dir.diagnostics, ...fresh]);
      if (!result.ok) return setExit(ExitCode.InvalidInput);
      try {
        await replaceDir(out, result.value.files, dir.keep);
      } catch (e) {
        printDiagnostics(io, [error(EmitCliCode.WriteFailed, `could not write \`${opts.out}\` (${(e as Error).message}); nothing was changed`)]);
        return setExit(ExitCode.InvalidInput);
      }
      const moved = result.value.manifest.moved.length;
      io.stdout(
        `wrote ${result.value.files.size} files (${opts.format}) to ${opts.out}` +
          (dir.keep.length ? `; kept ${dir.keep.join(', ')}` : '') +
          (moved ? `; ${moved} moved block(s) in moved.tf` : '') +
          '\n',
      );
      setExit(ExitCode.Ok);
    });
};
