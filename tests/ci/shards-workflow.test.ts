// The committed GitHub Actions workflow (.github/workflows/shards.yml): every matrix lists exactly the
// shards 1..n its commands split into, and its commands are ones the CLI accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import * as v from 'valibot';
import { repoRoot } from '../../sim/base/paths.ts';
import { usage as captureUsage } from '../../harness/cli/commands/capture.ts';
import { usage as conformanceUsage } from '../../harness/cli/commands/conformance.ts';

const Step = v.object({ run: v.optional(v.string()), uses: v.optional(v.string()) });
const Job = v.object({ strategy: v.optional(v.object({ matrix: v.object({ shard: v.array(v.number()) }) })), steps: v.array(Step), needs: v.optional(v.string()) });
const Workflow = v.object({ env: v.record(v.string(), v.union([v.string(), v.number()])), jobs: v.record(v.string(), Job) });
const wf = v.parse(Workflow, parse(readFileSync(path.join(repoRoot, '.github', 'workflows', 'shards.yml'), 'utf8')));
const runs = (job: string): string => wf.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');
const shardsOf = (job: string): readonly number[] => wf.jobs[job]!.strategy!.matrix.shard;
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('.github/workflows/shards.yml', () => {
  test.each([
    ['conformance', 'CONFORMANCE_SHARDS', /npx bootsim conformance --shard \$\{\{ matrix\.shard \}\}\/\$\{\{ env\.CONFORMANCE_SHARDS \}\} --out /],
    ['capture', 'CAPTURE_SHARDS', /npx bootsim capture --all --force .*--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ env\.CAPTURE_SHARDS \}\} --out captured/],
  ])('workflow_%s_matrix: expect shards 1..%s and the sharded command', (job, envName, command) => {
    expect(shardsOf(job)).toEqual(oneTo(Number(wf.env[envName])));
    expect(runs(job)).toMatch(command);
  });

  test('workflow_test_matrix: expect vitest --shard i/n over 1..n', () => {
    const m = /npx vitest run --shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(runs('test'));
    expect(m).not.toBeNull();
    expect(shardsOf('test')).toEqual(oneTo(Number(m![1])));
  });

  test('workflow_merges: expect each merge job after its shards, with the merge the CLI offers', () => {
    expect(wf.jobs['conformance-merge']!.needs).toBe('conformance');
    expect(runs('conformance-merge')).toMatch(/npx bootsim conformance --merge out\/shards\/conformance-\*\.json/);
    expect(wf.jobs['capture-merge']!.needs).toBe('capture');
    expect(runs('capture-merge')).toMatch(/npx bootsim conformance --html/);
    expect(conformanceUsage).toMatch(/--shard i\/n\] \[--out <file>\] \| --merge <shard\.json>…/);
    expect(captureUsage).toMatch(/\[--shard i\/n\]/);
  });
});
