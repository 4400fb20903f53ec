import { defineConfig } from 'vitest/config';

// The browser suite: the HTML pages opened in headless Chromium (Debian's chromium package, driven
// by playwright-core). Needs /usr/bin/chromium or CHROMIUM_PATH; .ci/run installs it when missing.
// Screenshots go to out/browser/ (gitignored), kept as CI artifacts.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/browser/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One Chromium at a time on a 2-core machine.
    fileParallelism: false,
  },
});
