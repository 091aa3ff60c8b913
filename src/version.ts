/** The tool's version, written into snapshots and reports. Keep in step with package.json. */
export const VERSION = '0.1.0';
