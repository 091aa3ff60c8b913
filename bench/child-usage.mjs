// Preloaded (`node --import`) into a benchmark's child process: at exit, writes the process's own resource usage
// (user and system CPU in microseconds, max RSS in kilobytes) as JSON to the file named by BULKHEAD_BENCH_USAGE.
import { writeFileSync } from 'node:fs';

const file = process.env.BULKHEAD_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKb: u.maxRSS }));
  });
}
