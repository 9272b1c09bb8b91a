import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killProcess, run } from './system';

export interface TrackedPid {
  pid: number;
  startTime: string | null;
  what: string;
}

/** Everything a lab created, written before/as each thing is made so a crashed run can be undone. */
export interface LabStateData {
  version: 1;
  id: string;
  namespaces: string[];
  /** Links in the root namespace. */
  links: string[];
  pids: TrackedPid[];
  /** UAPI sockets of our wireguard-go interfaces. */
  sockets: string[];
  /** Claimed /30 slots (see SLOT_DIR). */
  slots: number[];
  /** Free-form per-lab data (server descriptions) for `lab up` output and reboot. */
  servers: unknown[];
}

/** Machine-wide claims of veth /30 subnets, so parallel labs never share an address. */
export const SLOT_DIR = '/run/vpn-lab/slots';
export const SLOT_COUNT = 128;

export function slotAddresses(slot: number): { root: string; inner: string; prefix: 30 } {
  // 192.0.2.0/24 is excluded: machines here use it for their real uplink.
  const net = slot < 64 ? '198.51.100' : '203.0.113';
  const base = (slot % 64) * 4;
  return { root: `${net}.${base + 1}`, inner: `${net}.${base + 2}`, prefix: 30 };
}

export class LabState {
  readonly file: string;
  data: LabStateData;

  private constructor(readonly dir: string, data: LabStateData) {
    this.file = join(dir, 'state.json');
    this.data = data;
  }

  static create(dir: string, id: string): LabState {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = new LabState(dir, { version: 1, id, namespaces: [], links: [], pids: [], sockets: [], slots: [], servers: [] });
    s.save();
    return s;
  }

  static load(dir: string): LabState | null {
    const file = join(dir, 'state.json');
    if (!existsSync(file)) return null;
    return new LabState(dir, JSON.parse(readFileSync(file, 'utf8')) as LabStateData);
  }

  save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  track<K extends 'namespaces' | 'links' | 'sockets'>(kind: K, value: string): void {
    if (!this.data[kind].includes(value)) this.data[kind].push(value);
    this.save();
  }

  trackPid(p: TrackedPid): void {
    this.data.pids.push(p);
    this.save();
  }

  untrackPid(pid: number): void {
    this.data.pids = this.data.pids.filter((p) => p.pid !== pid);
    this.save();
  }

  /** Claims a free /30 slot machine-wide (mkdir is atomic); reclaims slots of labs whose state is gone. */
  claimSlot(): number {
    mkdirSync(SLOT_DIR, { recursive: true });
    for (let pass = 0; pass < 2; pass++) {
      for (let slot = 0; slot < SLOT_COUNT; slot++) {
        const dir = join(SLOT_DIR, String(slot));
        try {
          mkdirSync(dir);
        } catch {
          if (pass === 1 && slotIsStale(dir, slot)) {
            rmSync(dir, { recursive: true, force: true });
            slot--;
          }
          continue;
        }
        writeFileSync(join(dir, 'owner'), this.file);
        this.data.slots.push(slot);
        this.save();
        return slot;
      }
    }
    throw new Error(`all ${SLOT_COUNT} lab address slots are in use (see ${SLOT_DIR})`);
  }

  releaseSlot(slot: number): void {
    const dir = join(SLOT_DIR, String(slot));
    try {
      if (readFileSync(join(dir, 'owner'), 'utf8') === this.file) rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not ours or gone */
    }
    this.data.slots = this.data.slots.filter((s) => s !== slot);
    this.save();
  }

  /** Removes everything recorded, in an order that works for partial and crashed runs. Idempotent. */
  async teardown(): Promise<void> {
    const d = this.data;
    for (const p of [...d.pids].reverse()) await killProcess(p.pid, p.startTime);
    // Anything else still running inside our namespaces (sshd session children, commands) goes too.
    for (const ns of d.namespaces) {
      const r = await run('ip', ['netns', 'pids', ns], { allowFail: true });
      const pids = r.code === 0 ? r.stdout.split('\n').filter(Boolean).map(Number) : [];
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (let i = 0; i < 50 && pids.some((pid) => isAlive(pid, null)); i++) await new Promise((r2) => setTimeout(r2, 20));
    }
    for (const ns of [...d.namespaces].reverse()) await run('ip', ['netns', 'delete', ns], { allowFail: true });
    for (const link of d.links) await run('ip', ['link', 'delete', link], { allowFail: true });
    for (const sock of d.sockets) rmSync(sock, { force: true });
    for (const slot of [...d.slots]) this.releaseSlot(slot);
    this.data = { ...d, namespaces: [], links: [], pids: [], sockets: [], slots: [], servers: [] };
    rmSync(this.file, { force: true });
  }
}

function slotIsStale(dir: string, slot: number): boolean {
  try {
    if (Date.now() - statSync(dir).mtimeMs < 60_000) return false;
    const owner = readFileSync(join(dir, 'owner'), 'utf8');
    if (!existsSync(owner)) return true;
    const data = JSON.parse(readFileSync(owner, 'utf8')) as LabStateData;
    return !data.slots.includes(slot);
  } catch {
    return true;
  }
}
