#!/usr/bin/env node
// Entry point for `npx bootsim`: registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`bootsim conformance --json | head`) closes the pipe: end quietly,
// with the status a shell gives a process that SIGPIPE ended (128 + 13).
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(141);
  throw e;
});
// The last guard: main() never throws, but a timer or stream callback could.
const last = (e) => {
  const debug = process.argv.includes('--debug') || process.env.BOOTSIM_DEBUG === '1';
  const code = e && typeof e.code === 'string' ? e.code : 'INTERNAL';
  process.stderr.write(`bootsim: ${code}: ${String(e && e.message ? e.message : e).split('\n')[0]}${debug ? `\n${e && e.stack}` : ' (--debug shows the stack)'}\n`);
  process.exit(2);
};
process.on('uncaughtException', last);
process.on('unhandledRejection', last);

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
