#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, and by `npm ci` via `prepare`).
// The commands that analyse an organization run in a child Node with a heap budget (src/cli/heap-launch.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const args = process.argv.slice(2);
const { launch } = await import('../dist/cli/heap-launch.js');
const launched = await launch(args, process.argv[1]);
if (launched !== undefined) process.exitCode = launched;
else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(args);
}
