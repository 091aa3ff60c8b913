import type { ActionsFor } from './role-policies.js';
/** Temporary table until the catalogue's capability table is wired in (same shape). */
const T: Record<string, Record<string, string[]>> = {
  s3: { 'read-config': ['s3:GetBucket*', 's3:ListBucket'], 'read-data': ['s3:GetObject'], 'write-data': ['s3:PutObject'], 'delete-data': ['s3:DeleteObject'], 'administer-resource': ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketPolicy'] },
};
export const INTERIM_ACTIONS_FOR: ActionsFor = (caps, services) =>
  services.flatMap((s) => caps.flatMap((c) => T[s]?.[c] ?? [])).sort();
