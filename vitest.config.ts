import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs files in parallel; `aws` holds the tests that talk to the shared moto_server
// (files named *.aws.test.ts) and runs them one file at a time, because each test resets moto's state.
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'test-support/**/*.test.ts'],
          exclude: ['**/*.aws.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          ...shared,
          name: 'aws',
          include: ['src/**/*.aws.test.ts', 'test/**/*.aws.test.ts', 'test-support/**/*.aws.test.ts'],
          globalSetup: ['test-support/moto.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
