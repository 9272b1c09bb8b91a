import { Foundation1764288000000 } from './0001-foundation';

/**
 * The one ordered migration history of the database. Each context adds its own file
 * (`NNNN-<context>.ts`) and appends its class here; never edit a migration that has landed.
 */
export const MIGRATIONS = [Foundation1764288000000];
