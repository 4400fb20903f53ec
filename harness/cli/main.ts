// bootsim's command line: one verb per module under commands/, loaded on demand. Every error that
// reaches here becomes one line with a code and exit 2 (--debug adds the stack); none escapes.
import { UsageError } from './usage.ts';
import { processIO, writeError, errorCode, oneLine, type CliIO } from './io.ts';
import { didYouMean } from '../profile/suggest.ts';

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
  map: { summary: 'the simulated memory map as SVG in an HTML page (--golden marks what the real boot printed differently)', load: () => import('./commands/map.ts') },
  explore: { summary: 'a step-by-step HTML boot explorer: each stage, its lines, the state it changed, the derivations', load: () => import('./commands/explore.ts') },
  capture: { summary: 'boot profiles under QEMU and write their goldens', load: () => import('./commands/capture.ts') },
  evidence: { summary: 'boot a profile N times and record its volatile fields (goldens/evidence/volatile/)', load: () => import('./commands/evidence.ts') },
  kernel: { summary: 'fetch a pinned kernel package, or extract its facts', load: () => import('./commands/kernel.ts') },
  initramfs: { summary: 'build the state probe\'s initramfs and write (or --check) its facts', load: () => import('./commands/initramfs.ts') },
  envelope: { summary: 'draw profiles as QEMU users write them (seeded) and report the share the simulator accepts', load: () => import('./commands/envelope.ts') },
  bench: { summary: 'time the simulator per profile, at synthetic sizes, and against QEMU', load: () => import('./commands/bench.ts') },
};

export const verbNames: readonly string[] = Object.keys(verbs);

function help(): string {
  const w = Math.max(...Object.keys(verbs).map((v) => v.length));
  return ['usage: bootsim <verb> [options] [--debug]', '', ...Object.entries(verbs).map(([v, d]) => `  ${v.padEnd(w)}  ${d.summary}`), '', 'bootsim help <verb> (or bootsim <verb> --help) for a verb\'s options; --debug shows the stack of an error.'].join('\n');
}

/** Runs a verb; returns the exit code: 0 ok, 1 differences or failures, 2 bad input. Never throws. */
export async function main(argv: readonly string[], baseIO: CliIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug') || baseIO.env.BOOTSIM_DEBUG === '1';
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  const io: CliIO = { ...baseIO, debug, json: rest.includes('--json') };
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') {
    const about = rest[0];
    if (about === undefined) {
      io.stdout(`${help()}\n`);
      return 0;
    }
    if (!verbs[about]) return unknownVerb(io, about);
    return main([about, '--help'], baseIO);
  }
  const verb = verbs[name];
  if (!verb) return unknownVerb(io, name);
  try {
    const mod = await verb.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${mod.usage ?? verb.summary}\n`);
      return 0;
    }
    try {
      return await mod.run(rest, io);
    } catch (e) {
      if (e instanceof UsageError || errorCode(e) === 'USAGE') {
        io.stderr(`bootsim ${name}: ${oneLine(e)}${mod.usage ? `\n${mod.usage}` : ''}\n`);
        if (io.json) io.stdout(`${JSON.stringify({ error: { verb: name, code: 'USAGE', message: oneLine(e) } })}\n`);
        return 2;
      }
      throw e;
    }
  } catch (e) {
    writeError(io, name, errorCode(e), oneLine(e), e);
    return 2;
  }
}

function unknownVerb(io: CliIO, name: string): number {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  io.stderr(`bootsim: unknown verb "${shown}"${didYouMean(name, verbNames)}\n\n${help()}\n`);
  if (io.json) io.stdout(`${JSON.stringify({ error: { verb: null, code: 'USAGE', message: `unknown verb "${shown}"` } })}\n`);
  return 2;
}
