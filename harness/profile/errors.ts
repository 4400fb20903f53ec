// The profile family of errors (STYLE §5): one class, one closed code union.
import { BootsimError } from '../../sim/base/errors.ts';

export type ProfileCode =
  /** The file cannot be read, or is not UTF-8. */
  | 'PROFILE_FILE_UNREADABLE'
  /** Not a regular file (a directory, a FIFO, /dev/zero): refused before reading. */
  | 'PROFILE_NOT_A_FILE'
  /** Over MAX_PROFILE_BYTES (1 MiB): refused before reading. */
  | 'PROFILE_TOO_LARGE'
  /** Nested deeper than MAX_DEPTH levels. */
  | 'PROFILE_TOO_DEEP'
  /** Not valid YAML: bad indentation, unclosed brackets, several documents… */
  | 'PROFILE_YAML_SYNTAX'
  /** A key appears twice in one mapping. */
  | 'PROFILE_DUPLICATE_KEY'
  /** The document, or a numa entry, is empty or not a mapping. */
  | 'PROFILE_NOT_MAPPING'
  /** A key the schema does not know; the message suggests the likely one. */
  | 'PROFILE_UNKNOWN_KEY'
  /** A required field is absent. */
  | 'PROFILE_MISSING_FIELD'
  /** A value of the wrong YAML type: a string where an integer belongs, a float, a mapping… */
  | 'PROFILE_BAD_TYPE'
  /** name, given or derived from the file, is not [a-z0-9._-]+ starting with a letter or digit. */
  | 'PROFILE_BAD_NAME'
  /** kernel is not an id in the catalog. */
  | 'PROFILE_UNKNOWN_KERNEL'
  /** machine is not pc or q35. */
  | 'PROFILE_BAD_MACHINE'
  /** A size is not an integer with K, M, G or T. */
  | 'PROFILE_BAD_SIZE'
  /** A number outside its range: memory, cpus, the number of numa nodes. */
  | 'PROFILE_OUT_OF_RANGE'
  /** cpu is not model(,[+-]flag)*, or names a model TCG cannot run. */
  | 'PROFILE_BAD_CPU_MODEL'
  /** numa node sizes do not add up to memory. */
  | 'PROFILE_NUMA_SUM'
  /** numa cpus do not cover 0..cpus-1 exactly once, or a list is empty. */
  | 'PROFILE_NUMA_CPUS'
  /** cmdline is not one printable line, sets a parameter the capture owns, or is too long. */
  | 'PROFILE_BAD_CMDLINE'
  /** probe is not a probe the capture knows (state). */
  | 'PROFILE_BAD_PROBE';

export class ProfileError extends BootsimError<ProfileCode> {
  override readonly name = 'ProfileError';
}
