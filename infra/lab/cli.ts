// `npm run lab -- up [--servers N] [--authorized-key <file>] [--state-dir <dir>]` | `npm run lab -- down [--state-dir <dir>]`
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_STATE_DIR, Lab } from './lab';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: lab up [--servers N] [--authorized-key <file.pub>] [--state-dir <dir>] | lab down [--state-dir <dir>]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): { command: string; flags: Map<string, string> } {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(rest[i]);
    if (!m) usage(`unexpected argument ${rest[i]}`);
    const value = m[2] ?? rest[++i];
    if (value === undefined) usage(`--${m[1]} needs a value`);
    flags.set(m[1], value);
  }
  for (const k of flags.keys()) if (!['servers', 'authorized-key', 'state-dir'].includes(k)) usage(`unknown option --${k}`);
  return { command: command ?? '', flags };
}

function provisionerKey(flags: Map<string, string>): string {
  const file = flags.get('authorized-key') ?? join(resolve(process.env.DATA_DIR ?? './.data'), 'ssh', 'id_ed25519.pub');
  if (!existsSync(file)) {
    usage(`no provisioner key: ${file} does not exist (start the control plane once, or pass --authorized-key <file.pub>)`);
  }
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  const stateDir = resolve(flags.get('state-dir') ?? DEFAULT_STATE_DIR);
  if (command === 'down') {
    const had = await Lab.down(stateDir);
    process.stderr.write(had ? `lab in ${stateDir} removed\n` : `no lab in ${stateDir}\n`);
    return;
  }
  if (command !== 'up') usage();
  const servers = Number(flags.get('servers') ?? '1');
  if (!Number.isInteger(servers) || servers < 1 || servers > 32) usage('--servers must be an integer 1..32');
  const lab = await Lab.up({ servers, provisionerPublicKey: provisionerKey(flags), stateDir });
  process.stderr.write(`lab ${lab.id}: ${servers} server(s) up; state in ${stateDir}; remove with: npm run lab -- down\n`);
  process.stdout.write(`${JSON.stringify(lab.servers, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
