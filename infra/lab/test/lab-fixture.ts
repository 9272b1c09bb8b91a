import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '@vpn/ssh';
import { Lab } from '../lab';

/** A lab for one test file: its own state dir and provisioner key; `stop()` removes all of it. */
export async function startLab(servers: number): Promise<{ lab: Lab; privateKey: string; publicKey: string; stop: () => Promise<void> }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'vpn-lab-test-'));
  const pair = generateSshKeyPair();
  try {
    const lab = await Lab.up({ servers, provisionerPublicKey: pair.public, stateDir });
    return {
      lab,
      privateKey: pair.private,
      publicKey: pair.public,
      stop: async () => {
        await lab.down();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await Lab.down(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
}
