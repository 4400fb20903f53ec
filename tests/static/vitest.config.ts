import { defineConfig } from 'vitest/config';

// The static checks of the source that parse the whole tree with the TypeScript compiler (about 2.5 s of
// CPU, most of it the compiler's cold start): `npm run check:source`, run by CI beside typecheck and
// depcheck, which are static checks of the tree too, and kept out of `npm test` for its time budget.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/static/**/*.test.ts'],
  },
});
