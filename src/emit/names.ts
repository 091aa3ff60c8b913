/**
 * Stable names for emitted resources. Addresses derive only from model names (account name, OU path, role and
 * policy names), never from list positions, so re-emitting after a change touches only what changed.
 */

/** A Terraform identifier from a name: lowercase, `_` for anything that is not a letter or digit. */
export function tfIdent(name: string): string {
  let id = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (id === '') id = 'x';
  // Identifiers must not start with a digit.
  if (/^[0-9]/.test(id)) id = `n${id}`;
  return id;
}

/** The Terraform identifier of an OU: its path below the root, levels joined by `__` (`Root/Workloads/Prod` → `workloads__prod`). */
export function tfOuIdent(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map(tfIdent)
    .join('__');
}

/** Joins identifier parts with `__`, the separator used between name parts of one address. */
export function tfJoin(...parts: string[]): string {
  return parts.join('__');
}

/** A CloudFormation logical id part from a name: PascalCase of its letters and digits (`acme-dev` → `AcmeDev`). */
export function cfnIdent(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const id = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return id === '' ? 'X' : id;
}

/** The CloudFormation logical id part of an OU path (`Root/Workloads/Prod` → `WorkloadsProd`). */
export function cfnOuIdent(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map(cfnIdent)
    .join('');
}

/** A file-name slug (`Root/Workloads/Prod` → `workloads-prod`). */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/^root\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'root' : s;
}
