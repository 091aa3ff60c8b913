/**
 * bulkhead library entry: the pure core (spec, plan, model, policy engine, verify, emitters).
 * Nothing exported here touches the file system, the network or the console.
 */
export * from './diagnostics/diagnostic.js';
export * from './model/organization.js';
export * from './model/query.js';
export * from './model/account-ref.js';
export { VERSION } from './version.js';
