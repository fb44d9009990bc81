import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn the built CLI and talk HTTP to local emulators: allow for a loaded 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests must never probe a real credential source: no ECS metadata service, no aliyun CLI profile.
    env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' },
  },
});
