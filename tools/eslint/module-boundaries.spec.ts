import { ESLint } from 'eslint';
import { join } from 'node:path';

const rule = require('./module-boundaries.js');
const root = join(__dirname, '../..');

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{
      files: ['**/*.ts'],
      languageOptions: { parser: require('typescript-eslint').parser },
      plugins: { vpn: { rules: { 'module-boundaries': rule } } },
      rules: { 'vpn/module-boundaries': 'error' },
    }],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.map((m) => m.message);
}

describe('module boundaries', () => {
  it('rejects a cross-context import between services', async () => {
    const messages = await lint('services/auth/src/x.ts', `import { provisioningService } from '@vpn/service-provisioning';`);
    expect(messages).toEqual([expect.stringContaining('a type:app project (@vpn/service-auth) may not import type:app (@vpn/service-provisioning)')]);
  });

  it('rejects a scope:vpn service importing the auth context through any path', async () => {
    const messages = await lint('services/sync/src/x.ts', `import '../../auth/src/auth.module';`);
    expect(messages).toEqual([expect.stringContaining('relative import leaves @vpn/service-sync')]);
  });

  it('rejects a library importing an app', async () => {
    const messages = await lint('libs/messaging/src/x.ts', `import { gatewayService } from '@vpn/gateway';`);
    expect(messages).toEqual([expect.stringContaining('type:data project (@vpn/messaging) may not import type:app (@vpn/gateway)')]);
  });

  it('rejects a deep import into another project', async () => {
    const messages = await lint('services/auth/src/x.ts', `import { CommandBus } from '@vpn/messaging/src/command-bus';`);
    expect(messages).toEqual([expect.stringContaining('deep import into @vpn/messaging')]);
  });

  it('accepts a service importing shared libraries and contracts', async () => {
    const messages = await lint('services/auth/src/x.ts', [
      `import { DomainError } from '@vpn/contracts';`,
      `import { CommandBus } from '@vpn/messaging';`,
      `import { openDatabase } from '@vpn/db';`,
    ].join('\n'));
    expect(messages).toEqual([]);
  });

  it('rejects production code importing the test support library', async () => {
    const messages = await lint('services/auth/src/x.ts', `import { createTestDatabase } from '@vpn/testing';`);
    expect(messages).toEqual([expect.stringContaining('a type:app project (@vpn/service-auth) may not import type:testing (@vpn/testing)')]);
  });

  it('lets test code use the test support library', async () => {
    expect(await lint('services/auth/test/x.int-spec.ts', `import { createTestDatabase } from '@vpn/testing';`)).toEqual([]);
  });

  it('rejects the platform importing a service', async () => {
    const messages = await lint('libs/platform/src/x.ts', `import { authService } from '@vpn/service-auth';`);
    expect(messages).toEqual([expect.stringContaining('a type:platform project (@vpn/platform) may not import type:app (@vpn/service-auth)')]);
  });

  it('rejects a utility importing persistence', async () => {
    const messages = await lint('libs/ssh/src/x.ts', `import { openDatabase } from '@vpn/db';`);
    expect(messages).toEqual([expect.stringContaining('a type:util project (@vpn/ssh) may not import type:data (@vpn/db)')]);
  });

  it('rejects contracts importing anything but contracts', async () => {
    const messages = await lint('libs/contracts/src/x.ts', `import { env } from '@vpn/runtime';`);
    expect(messages).toEqual([expect.stringContaining('a type:types project (@vpn/contracts) may not import type:util (@vpn/runtime)')]);
  });

  it('rejects the host importing the test support library', async () => {
    const messages = await lint('standalone/src/x.ts', `import { TestBus } from '@vpn/testing';`);
    expect(messages).toEqual([expect.stringContaining('a type:host project (@vpn/standalone) may not import type:testing (@vpn/testing)')]);
  });

  it('lets the single-process host mount every service', async () => {
    const messages = await lint('standalone/src/x.ts', `import { authService } from '@vpn/service-auth';\nimport { gatewayService } from '@vpn/gateway';`);
    expect(messages).toEqual([]);
  });
});
