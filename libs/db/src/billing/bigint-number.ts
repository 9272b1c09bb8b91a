import type { ValueTransformer } from 'typeorm';

/** A bigint column read as a JS number: byte counters stay far below 2^53. */
export const BIGINT_NUMBER: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
