// Fields of catalog lines whose value is not a function of the profile alone, for a
// range of kernel versions. Such a field is compared by shape (it parsed, it has its
// kind) and its delta is reported, not failed. The line itself stays under test.
// Each entry is data with a reason and the re-capture evidence that proves it.
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
    evidence:
      'Re-captured 2026-11-21: two boots of each golden profile (QEMU 7.2, TCG) gave, for available, ' +
      'x86_64-6.12-pc-2g-la57 2008408K then 2008184K (-224K), x86_64-6.12-pc-4g-numa4 3998144K then 3998212K (+68K), ' +
      'x86_64-6.12-pc-512m 464448K then 464280K (-168K), x86_64-6.12-q35-2g 2010152K then 2010376K (+224K), ' +
      'x86_64-7.2-q35-8g 8119492K then 8119728K (+236K); every other field of those lines, and the whole line on all ' +
      '19 profiles of 5.10 and 6.1 (printed before deferred init), was identical. To see it again: capture a profile ' +
      'into another folder and run `npx bootsim check <profile> --golden <that serial.log>`.',
    status: 'proven',
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
