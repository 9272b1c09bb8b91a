// Types of dependency-check.js, for its spec.
export interface SourceFile { path: string; text: string; runtime: boolean; runtimeNeedsDevDeps?: boolean }
export interface Manifest { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
export interface Pkg { dir: string; manifest: Manifest; files: SourceFile[] }
export interface Violation { kind: 'unused' | 'undeclared' | 'dev-only'; package: string; manifest: string; where?: string }
export function checkDependencies(input: { root: Pkg; workspaces: Pkg[]; aliasPrefixes: string[]; implicitlyUsed?: string[] }): Violation[];
export function importsOf(text: string): Array<{ specifier: string; line: number; typeOnly: boolean }>;
export function packageOf(specifier: string, aliasPrefixes: string[]): string | null;
