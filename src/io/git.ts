/**
 * Reads a file as it is at a git revision (`git show REV:PATH`), with git itself: `execFile` with an argument
 * list, never a shell string. Errors name what went wrong: not a repository, unknown revision, path not in it.
 */
import { execFile } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { error, fail, ok, type Result } from '../diagnostics/diagnostic.js';

function run(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && e.code === 'ENOENT') return done({ code: -1, stdout: '', stderr: '', missing: true });
      done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr, missing: false });
    });
  });
}

/**
 * The text of `path` (relative to `cwd`, or absolute inside the repository) at `revision`. `label` is how the
 * input is shown in messages (`spec.yaml@main`).
 */
export async function gitShowFile(path: string, revision: string, cwd: string, label: string): Promise<Result<string>> {
  const abs = resolve(cwd, path);
  const dir = dirname(abs);
  const top = await run(['rev-parse', '--show-toplevel'], dir);
  if (top.missing) return fail([error('BH9104', `\`${label}\`: git is not installed or not on the PATH; install git or give the spec as a file`)]);
  if (top.code !== 0) return fail([error('BH9101', `\`${label}\`: \`${dir}\` is not inside a git repository; give a spec file, a snapshot directory, or run from the repository`)]);
  if (revision.startsWith('-') || revision === '') return fail([error('BH9102', `\`${label}\`: unknown git revision \`${revision}\`; give a branch, tag or commit`)]);
  const rev = await run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], dir);
  if (rev.code !== 0) return fail([error('BH9102', `\`${label}\`: unknown git revision \`${revision}\`; give a branch, tag or commit (\`git branch -a\`, \`git log\`)`)]);
  // `REV:./NAME` is relative to the working directory git runs in, so symlinked checkouts resolve alike
  const shown = await run(['show', `${rev.stdout.trim()}:./${basename(abs)}`], dir);
  if (shown.code !== 0) return fail([error('BH9103', `\`${label}\`: \`${path}\` is not in revision \`${revision}\`; check the path (\`git ls-tree -r --name-only ${revision}\`)`)]);
  return ok(shown.stdout);
}
