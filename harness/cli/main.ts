// bootsim's command line: one verb per module under commands/, loaded on demand.
import { BootsimError } from '../errors.ts';
import { UsageError } from './usage.ts';
import { processIO, type CliIO } from './io.ts';

interface Verb {
  readonly summary: string;
  readonly load: () => Promise<{ run: (argv: readonly string[], io: CliIO) => Promise<number>; usage?: string }>;
}

const verbs: Readonly<Record<string, Verb>> = {
  sim: { summary: 'print the simulated dmesg lines of a profile', load: () => import('./commands/sim.ts') },
  check: { summary: 'compare one profile with its golden (or --golden <log>)', load: () => import('./commands/check.ts') },
  conformance: { summary: 'simulate every golden profile and report conformance (the ratchet gate)', load: () => import('./commands/conformance.ts') },
  explain: { summary: 'each simulated number with the terms it was built from and their sources', load: () => import('./commands/explain.ts') },
  diff: { summary: 'coloured unified diff and field deltas for one profile', load: () => import('./commands/diff.ts') },
  capture: { summary: 'boot profiles under QEMU and write their goldens', load: () => import('./commands/capture.ts') },
  evidence: { summary: 'boot a profile N times and record its volatile fields (goldens/evidence/volatile/)', load: () => import('./commands/evidence.ts') },
  kernel: { summary: 'fetch a pinned kernel package, or extract its facts', load: () => import('./commands/kernel.ts') },
  bench: { summary: 'time the simulator per profile, at synthetic sizes, and against QEMU', load: () => import('./commands/bench.ts') },
};

function help(): string {
  const w = Math.max(...Object.keys(verbs).map((v) => v.length));
  return ['usage: bootsim <verb> [options]', '', ...Object.entries(verbs).map(([v, d]) => `  ${v.padEnd(w)}  ${d.summary}`), '', 'bootsim <verb> --help for a verb\'s options.'].join('\n');
}

/** Runs a verb; returns the exit code: 0 ok, 1 differences or failures, 2 bad input. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const verb = verbs[name];
  if (!verb) {
    io.stderr(`bootsim: unknown verb "${name}"\n\n${help()}\n`);
    return 2;
  }
  const mod = await verb.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${mod.usage ?? verb.summary}\n`);
    return 0;
  }
  try {
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bootsim ${name}: ${e.message}${mod.usage ? `\n${mod.usage}` : ''}\n`);
      return 2;
    }
    if (e instanceof BootsimError) {
      io.stderr(`bootsim ${name}: ${e.code}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`bootsim ${name}: ${e.message}${mod.usage ? `\n${mod.usage}` : ''}\n`);
      return 2;
    }
    throw e;
  }
}
