import { checkDependencies, importsOf, packageOf, type Pkg, type SourceFile } from './dependency-check';

const src = (path: string, text: string, runtime = true): SourceFile => ({ path, text, runtime });

/** A root with hoisted dependencies and one workspace with its own: the shape of this repo, in small. */
function fixture(overrides: { rootFiles?: SourceFile[]; appFiles?: SourceFile[] } = {}): { root: Pkg; workspaces: Pkg[]; aliasPrefixes: string[] } {
  return {
    aliasPrefixes: ['@vpn/'],
    root: {
      dir: '.',
      manifest: {
        dependencies: { pg: '^8', '@nestjs/core': '^11', 'left-pad': '^1' },
        devDependencies: { jest: '^30', yaml: '^2', '@types/express': '^5' },
      },
      files: overrides.rootFiles ?? [src('scripts/start.mjs', `import { spawn } from 'node:child_process';\nimport pg from 'pg';`)],
    },
    workspaces: [{
      dir: 'frontend',
      manifest: { dependencies: { react: '^19', qrcode: '^1' }, devDependencies: { vite: '^8' } },
      files: overrides.appFiles ?? [
        src('frontend/src/main.tsx', `import { createRoot } from 'react-dom/client';\nimport React from 'react';\nimport QR from 'qrcode';`),
        src('frontend/src/app.ts', `import { NestFactory } from '@nestjs/core';\nimport { isUuid } from '@vpn/contracts';\nimport './app.css';`),
      ],
    }],
  };
}

describe(packageOf.name, () => {
  it('names the package of a bare or deep specifier and ignores relative, builtin and alias imports', () => {
    expect(packageOf('@nestjs/common/pipes', [])).toBe('@nestjs/common');
    expect(packageOf('react-dom/client', [])).toBe('react-dom');
    expect(packageOf('./x', [])).toBeNull();
    expect(packageOf('node:fs', [])).toBeNull();
    expect(packageOf('crypto', [])).toBeNull();
    expect(packageOf('@vpn/db', ['@vpn/'])).toBeNull();
  });
});

describe(importsOf.name, () => {
  it('finds static, side-effect, re-export, dynamic and require imports with their lines', () => {
    const text = [
      `import a from 'a';`,
      `import 'b';`,
      `export { c } from 'c';`,
      `const d = await import('d');`,
      `const e = require('e');`,
      `import {`,
      `  f,`,
      `} from 'f';`,
    ].join('\n');
    expect(importsOf(text).map((i) => [i.specifier, i.line]).sort()).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5], ['f', 6]]);
  });

  it('marks type-only imports, and not mixed ones', () => {
    const found = importsOf(`import type { A } from 'a';\nimport { type B, type C } from 'b';\nimport { type D, e } from 'd';`);
    expect(found.map((i) => [i.specifier, i.typeOnly])).toEqual([['a', true], ['b', true], ['d', false]]);
  });

  it('ignores imports inside comments but keeps URLs in code', () => {
    expect(importsOf(`// require('gone')\n/* import x from 'gone2' */\nconst u = 'nats://h:4222'; import y from 'kept';`).map((i) => i.specifier)).toEqual(['kept']);
  });
});

describe(`${importsOf.name} (generated code)`, () => {
  it('ignores imports written inside template literals', () => {
    expect(importsOf("const gen = `import x from 'inside';`;\nimport y from 'outside';").map((i) => [i.specifier, i.line])).toEqual([['outside', 2]]);
  });
});

describe(checkDependencies.name, () => {
  it('finds each kind of violation in the fixture and nothing else', () => {
    const v = checkDependencies(fixture());
    expect(v).toEqual(expect.arrayContaining([
      { kind: 'undeclared', package: 'react-dom', manifest: 'frontend/package.json', where: 'frontend/src/main.tsx:1' },
      { kind: 'unused', package: 'left-pad', manifest: 'package.json' },
    ]));
    expect(v).toHaveLength(2);
  });

  it('counts a root dependency used by any workspace, a workspace one only in its own workspace', () => {
    const f = fixture({ appFiles: [src('frontend/src/a.ts', `import { NestFactory } from '@nestjs/core';\nimport pg from 'pg';\nimport 'left-pad';`)] });
    const v = checkDependencies(f);
    expect(v.filter((x) => x.kind === 'unused').map((x) => `${x.manifest}:${x.package}`).sort()).toEqual(['frontend/package.json:qrcode', 'frontend/package.json:react']);
  });

  it('does not count tests, type-only imports or implicit loads as use, unless told', () => {
    const f = fixture({
      rootFiles: [
        src('test/a.spec.ts', `import pg from 'pg';\nimport { describe } from 'jest';`, false),
        src('scripts/x.ts', `import type { Core } from '@nestjs/core';\nimport 'left-pad';`),
      ],
      appFiles: [src('frontend/src/a.ts', `import React from 'react';\nimport QR from 'qrcode';`)],
    });
    expect(checkDependencies(f).map((x) => x.package).sort()).toEqual(['@nestjs/core', 'pg']);
    expect(checkDependencies({ ...f, implicitlyUsed: ['pg', '@nestjs/core'] })).toEqual([]);
  });

  it('flags a runtime import of a devDependency, except in launchers that run from a full install', () => {
    const f = fixture({ appFiles: [src('frontend/src/a.ts', `import React from 'react';\nimport QR from 'qrcode';\nimport { build } from 'vite';`)] });
    expect(checkDependencies(f).filter((x) => x.kind === 'dev-only')).toEqual([
      { kind: 'dev-only', package: 'vite', manifest: 'frontend/package.json', where: 'frontend/src/a.ts:3' },
    ]);
    f.workspaces[0].files[0].runtimeNeedsDevDeps = true;
    expect(checkDependencies(f).filter((x) => x.kind === 'dev-only')).toEqual([]);
  });

  it('accepts a type-only import whose types come from @types, and not a runtime one', () => {
    const typeOnly = fixture({ rootFiles: [src('scripts/s.ts', `import pg from 'pg';\nimport 'left-pad';\nimport type { Request } from 'express';`)] });
    const rootOnly = (f: ReturnType<typeof fixture>) => checkDependencies(f).filter((x) => x.manifest === 'package.json');
    expect(rootOnly(typeOnly)).toEqual([]);
    const runtime = fixture({ rootFiles: [src('scripts/s.ts', `import pg from 'pg';\nimport 'left-pad';\nimport express from 'express';`)] });
    expect(rootOnly(runtime)).toEqual([{ kind: 'undeclared', package: 'express', manifest: 'package.json', where: 'scripts/s.ts:3' }]);
  });
});
