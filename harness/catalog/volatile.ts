// Fields of catalog lines whose value is not a function of the profile alone, for a
// range of kernel versions. Such a field is compared by shape (it parsed, it has its
// kind) and its delta is reported, not failed. The line itself stays under test.
// Each entry is data with a reason; none is settled until a re-capture proves it.
import type { Family } from './families.ts';
import { compareVersions, type VersionKey } from './versions.ts';

export type VolatileStatus = 'to be proven by re-capture' | 'proven';

export interface VolatileField {
  readonly family: Family['id'];
  readonly field: string;
  /** Inclusive version bounds; omitted bound = open. */
  readonly from?: VersionKey;
  readonly to?: VersionKey;
  readonly reason: string;
  /** What was seen that suggests it. */
  readonly evidence: string;
  readonly status: VolatileStatus;
}

export const volatileFields: readonly VolatileField[] = [
  {
    family: 'mem.summary',
    field: 'available',
    from: '6.12',
    reason:
      'From 6.12 mem_init_print_info runs after deferred struct-page init (mm/mm_init.c, page_alloc_init_late), so "available" counts pages freed by the deferred-init kthreads and the allocations made meanwhile: it depends on timing.',
    evidence: 'two captures of the same 6.12 profile differed by 56K (204948K vs 204892K).',
    status: 'to be proven by re-capture',
  },
];

/** The volatile declaration covering this field on this version, if any. */
export function volatileFor(family: string, field: string, version: string): VolatileField | undefined {
  return volatileFields.find(
    (v) =>
      v.family === family &&
      v.field === field &&
      (v.from === undefined || compareVersions(version, v.from) >= 0) &&
      (v.to === undefined || compareVersions(version, v.to) <= 0),
  );
}
