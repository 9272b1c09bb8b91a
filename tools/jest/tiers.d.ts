export type Tier = 'unit' | 'integration' | 'lab' | 'browser';
/** The test files of each tier below `roots`, as absolute paths. */
export function testTiers(root: string, roots: readonly string[]): Record<Tier, string[]>;
/** Whether a file reaches the lab fixture through relative imports. */
export function reachesLab(file: string, root: string, seen?: Map<string, boolean>): boolean;
