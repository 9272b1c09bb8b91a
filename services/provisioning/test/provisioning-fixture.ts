import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerView } from '@vpn/contracts';
import type { ServiceDefinition } from '@vpn/platform';
import { billingLimitsService } from '@vpn/service-billing-limits';
import { parseDump, type WgDump } from '@vpn/wireguard';
import { startLab } from '../../../infra/lab/test/lab-fixture';
import type { Lab } from '../../../infra/lab/lab';
import { startStack, type TestStack } from '../../../test/support/stack';
import { provisioningService } from '../src';

export interface ProvisioningWorld {
  stack: TestStack;
  lab: Lab;
  /** Registers lab server `i` through `server.register`. */
  register(i: number, overrides?: Record<string, unknown>): Promise<ServerView>;
  dump(i: number): Promise<WgDump>;
  stop(): Promise<void>;
}

/**
 * Real lab WireGuard servers + provisioning and billing-limits on NATS + their own database.
 * The provisioner's SSH key is the one the lab authorized.
 */
export async function startProvisioningWorld(opts: { servers?: number; label: string; extraServices?: ServiceDefinition[]; env?: Record<string, string> }): Promise<ProvisioningWorld> {
  const lab = await startLab(opts.servers ?? 1);
  const keyFile = join(lab.lab.stateDir, 'provisioner_key');
  writeFileSync(keyFile, lab.privateKey, { mode: 0o600 });
  let stack: TestStack;
  try {
    stack = await startStack({
      services: [billingLimitsService, provisioningService, ...(opts.extraServices ?? [])],
      label: opts.label,
      env: { SSH_PRIVATE_KEY_FILE: keyFile, ...opts.env },
    });
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return {
    stack,
    lab: lab.lab,
    register: (i, overrides = {}) => {
      const s = lab.lab.servers[i];
      return stack.commands.request('server.register', {
        actorId: '00000000-0000-4000-8000-000000000001', name: s.name, location: 'Lab', host: s.host, sshPort: s.sshPort,
        sshUser: s.sshUser, endpoint: s.endpoint, interface: s.interface, addressPool: s.addressPool, ...overrides,
      }, { timeoutMs: 20_000 });
    },
    dump: async (i) => parseDump(await lab.lab.execInServer(i, ['wg', 'show', lab.lab.servers[i].interface, 'dump'])),
    stop: async () => {
      await stack.stop();
      await lab.stop();
    },
  };
}
