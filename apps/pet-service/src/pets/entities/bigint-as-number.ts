import { ValueTransformer } from 'typeorm';

/** Postgres bigint arrives as a string; ids stay below 2^53, so a number holds them exactly. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
