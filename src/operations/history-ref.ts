/**
 * The `DIR@2026-11-01` / `DIR@latest` side of `diff`, `drift` and `verify`: a snapshot out of a history that
 * `bulkhead collect --history DIR` keeps (src/io/history.ts), read back as an ordinary snapshot's files through
 * the host's `files`, so a library caller's host is honoured.
 */
import { error, fail, type Result } from '../diagnostics/diagnostic.js';
import { isHistoryRef, splitSideRef } from '../delta/side-ref.js';
import { isHistoryDir, readHistoryRef } from '../io/history.js';
import { HistoryCode } from '../snapshot/history.js';
import { messageValue, quotedMessageValue as q } from '../util/message-value.js';
import { hostPath, type Host } from './host.js';

/** The code history-ref raises itself (the history codes, BH9170–BH9175, are `HistoryCode`). */
export const HistoryRefCode = {
  /** A `DIR@latest` / `DIR@DATE` reference names a plain snapshot directory, not a history. */
  PlainSnapshot: 'BH9105',
} as const;

/**
 * The snapshot files a history reference names, or undefined when `arg` is no history reference (then it is a
 * spec at a git revision or missing, for the caller to say). Call only for an `arg` that does not exist as written.
 */
export async function historyRefFiles(arg: string, host: Host): Promise<Result<Map<string, string>> | undefined> {
  const ref = splitSideRef(arg);
  if (ref.at === undefined) return undefined;
  const dir = hostPath(host, ref.path);
  const kind = await host.files.kind(dir);
  if (kind !== 'directory' && !(kind === 'missing' && isHistoryRef(ref.at))) return undefined;
  if (kind === 'missing') {
    return fail([{ ...error(HistoryCode.NotHistory, `${q(arg)}: the history ${q(ref.path)} does not exist; run \`bulkhead collect --history ${messageValue(ref.path)}\` first`), file: ref.path }]);
  }
  if (!(await isHistoryDir(dir, host.files))) {
    if ((await host.files.kind(hostPath(host, `${ref.path}/manifest.json`))) === 'file') {
      return fail([{ ...error(HistoryRefCode.PlainSnapshot, `${q(arg)}: ${q(ref.path)} is a snapshot directory, not a snapshot history; give ${q(ref.path)} itself (without \`@${messageValue(ref.at)}\`), or a directory \`bulkhead collect --history\` wrote`), file: ref.path }]);
    }
    return fail([{ ...error(HistoryCode.NotHistory, `${q(arg)}: ${q(ref.path)} is not a snapshot history (no \`history.json\`); give a directory \`bulkhead collect --history\` wrote`), file: ref.path }]);
  }
  if (!isHistoryRef(ref.at)) {
    return fail([{ ...error(HistoryCode.BadRef, `${q(arg)}: ${q(ref.at)} is not a history reference; write ${q(`${ref.path}@latest`)} or a UTC date ${q(`${ref.path}@YYYY-MM-DD`)}`), file: ref.path }]);
  }
  const read = await readHistoryRef(dir, ref.at, arg, host.files);
  if (!read.ok) return read;
  host.report({ kind: 'note', operation: 'history', message: `${arg}: the entry collected at ${read.value.entry.collectedAt.toISOString()}` });
  return { ...read, value: read.value.files };
}
