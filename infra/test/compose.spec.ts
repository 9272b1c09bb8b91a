// docker-compose.yml as parsed YAML (`docker compose config` is not available here): the services,
// their environment, secrets and health checks, cross-checked against the code that reads them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '@vpn/contracts';
import { loadPlatformConfig } from '@vpn/runtime';
import { arr, entrypointFileVars, isObj, obj, read, REQUIRED_FILES, ROOT, seconds, SERVICE_SHUTDOWN_DEADLINE_S, str, type Obj } from './support/manifests';

describe('docker-compose.yml', () => {
  const compose = obj(parse(read('docker-compose.yml'), { merge: true }), 'compose');
  const services = obj(compose.services, 'services');
  const topSecrets = obj(compose.secrets, 'secrets');
  const svc = (name: string): Obj => obj(services[name], `service ${name}`);
  const env = (name: string): Record<string, string> => {
    const e = svc(name).environment;
    if (e === undefined) return {};
    if (Array.isArray(e)) return Object.fromEntries(e.map((x) => String(x).split(/=(.*)/s).slice(0, 2)));
    return Object.fromEntries(Object.entries(obj(e, `${name}.environment`)).map(([k, v]) => [k, str(v) ?? '']));
  };
  const fileVars = entrypointFileVars();
  const generate = read('infra/secrets/generate.sh');

  /** The host file of a secret that a service mounts at /run/secrets/<name>. */
  function secretFile(service: string, containerPath: string): string {
    const m = /^\/run\/secrets\/([\w.-]+)$/.exec(containerPath);
    if (!m) throw new Error(`${service}: ${containerPath} is not a mounted secret`);
    const own = arr(svc(service).secrets ?? [], `${service}.secrets`).map((s) => (isObj(s) ? str(s.source) : str(s)));
    expect(own).toContain(m[1]);
    return str(obj(topSecrets[m[1]], `secret ${m[1]}`).file) ?? '';
  }
  /** VAR set directly, or VAR_FILE pointing at a mounted secret the entrypoint reads. Returns the source. */
  function provides(service: string, variable: string): { value?: string; file?: string } {
    const e = env(service);
    if (e[variable]) return { value: e[variable] };
    const file = e[`${variable}_FILE`];
    if (!file) throw new Error(`${service} has neither ${variable} nor ${variable}_FILE`);
    expect(fileVars).toContain(variable);
    return { file: secretFile(service, file) };
  }

  it('has postgres 16, NATS, the six services and the WireGuard test host', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICE_NAMES, 'nats', 'postgres', 'wg-host'].sort());
    expect(svc('postgres').image).toMatch(/^postgres:16(\.|$|-)/);
    expect(svc('nats').image).toMatch(/^nats:2\.(1\d|[2-9]\d)/); // sync_interval needs ≥ 2.10
  });

  it('builds every service from the one Dockerfile with its SERVICE build arg', () => {
    for (const [name, raw] of Object.entries(services)) {
      const s = obj(raw, name);
      expect(s.image !== undefined || s.build !== undefined).toBe(true);
      if (s.build === undefined) continue;
      const build = obj(s.build, `${name}.build`);
      const dockerfile = join(ROOT, str(build.context) ?? '.', str(build.dockerfile) ?? 'Dockerfile');
      expect(existsSync(dockerfile)).toBe(true);
    }
    for (const name of SERVICE_NAMES) {
      const build = obj(svc(name).build, `${name}.build`);
      expect(posix.join(str(build.context) ?? '', str(build.dockerfile) ?? '')).toBe('infra/docker/Dockerfile');
      expect(obj(build.args, `${name}.build.args`).SERVICE).toBe(name);
    }
  });

  it('gives each service DATABASE_URL (the postgres service, user and database) and NATS_URL (the nats service)', () => {
    const pg = env('postgres');
    for (const name of SERVICE_NAMES) {
      const nats = provides(name, 'NATS_URL').value ?? '';
      expect(nats.split(',').map((u) => new URL(u).hostname)).toEqual(['nats']);
      const db = provides(name, 'DATABASE_URL');
      const url = db.value ?? /postgres:\/\/[^'"\s]+/.exec(generate.split('\n').find((l) => l.includes(basename(db.file ?? '-'))) ?? '')?.[0];
      expect(url).toBeDefined();
      const u = new URL((url ?? '').replace('%s', 'pw'));
      expect([u.hostname, u.port || '5432', u.username, u.pathname]).toEqual(['postgres', '5432', pg.POSTGRES_USER, `/${pg.POSTGRES_DB}`]);
      // The postgres password and the one in the URL come from the same generated value.
      expect(pg.POSTGRES_PASSWORD_FILE).toBeDefined();
    }
    expect(generate).toMatch(/printf '%s' "\$pw" > postgres_password/);
    expect(generate).toMatch(/printf 'postgres:\/\/vpn:%s@postgres:5432\/vpn' "\$pw" > database_url/);
  });

  it('mounts the provisioner key into provisioning and sync, the JWT key and admin password into auth', () => {
    const keyFiles = new Set<string>();
    for (const [service, vars] of Object.entries(REQUIRED_FILES)) {
      for (const v of vars) {
        const path = env(service)[v];
        expect(path).toBeDefined();
        keyFiles.add(`${v}=${secretFile(service, path)}`);
      }
    }
    // provisioning and sync use the same identity (the one servers authorize).
    expect([...keyFiles].filter((k) => k.startsWith('SSH_PRIVATE_KEY_FILE='))).toHaveLength(1);
    expect(provides('auth', 'ADMIN_PASSWORD').file).toBeDefined();
  });

  it('every secret is a file under infra/secrets/ that generate.sh writes and git ignores', () => {
    expect(Object.keys(topSecrets).length).toBeGreaterThanOrEqual(6);
    for (const [name, raw] of Object.entries(topSecrets)) {
      const file = str(obj(raw, name).file) ?? '';
      expect(posix.dirname(posix.normalize(file))).toBe('infra/secrets');
      // generate.sh's last line sets the mode of every file it makes.
      const made = (/^chmod 644 (.+)$/m.exec(generate)?.[1] ?? '').split(/\s+/);
      expect(made).toContain(basename(file));
      // `git check-ignore` exits 0 when the path is ignored.
      expect(() => execFileSync('git', ['check-ignore', '-q', file], { cwd: ROOT })).not.toThrow();
    }
    expect(() => execFileSync('git', ['check-ignore', '-q', 'infra/secrets/generate.sh'], { cwd: ROOT })).toThrow();
  });

  it('the WireGuard host authorizes the public half of the provisioner key and can run wireguard-go', () => {
    const wg = svc('wg-host');
    const sshKey = secretFile('provisioning', env('provisioning').SSH_PRIVATE_KEY_FILE);
    expect(secretFile('wg-host', env('wg-host').PROVISIONER_PUBLIC_KEY_FILE)).toBe(`${sshKey}.pub`);
    expect(wg.cap_add).toContain('NET_ADMIN');
    expect(arr(wg.devices, 'wg-host.devices').map(String)).toContain('/dev/net/tun:/dev/net/tun');
    const build = obj(wg.build, 'wg-host.build');
    const dockerfile = DockerfileParser.parse(read(posix.join(str(build.context) ?? '', 'Dockerfile')));
    expect(dockerfile.getFROMs().map((f) => f.getImage())).toEqual(['debian:bookworm-slim']);
    const installed = dockerfile.getInstructions().filter((i) => i.getKeyword() === 'RUN').flatMap((i) => i.getArguments().map((a) => a.getValue()));
    expect(installed).toEqual(expect.arrayContaining(['wireguard-tools', 'wireguard-go', 'openssh-server', 'iproute2']));
    const entry = read('infra/wg-host/entrypoint.sh');
    expect(entry).toMatch(/wireguard-go/);
    expect(entry).toMatch(/authorized_keys/);
    expect(entry).toMatch(/sshd -D/);
  });

  it('has a healthcheck on every service, and every depends_on condition points at a healthchecked service', () => {
    for (const [name, raw] of Object.entries(services)) {
      const hc = obj(obj(raw, name).healthcheck, `${name}.healthcheck`);
      expect(arr(hc.test, `${name}.healthcheck.test`).length).toBeGreaterThan(1);
      for (const [dep, cond] of Object.entries(obj(obj(raw, name).depends_on ?? {}, `${name}.depends_on`))) {
        expect(services[dep]).toBeDefined();
        expect(obj(cond, `${name}.depends_on.${dep}`).condition).toBe('service_healthy');
      }
    }
    for (const name of SERVICE_NAMES) {
      const deps = obj(svc(name).depends_on, `${name}.depends_on`);
      expect(Object.keys(deps)).toEqual(expect.arrayContaining(['postgres', 'nats']));
      const test = arr(obj(svc(name).healthcheck, name).test, name).map(String);
      expect(test).toContain('/app/infra/docker/healthcheck.mjs');
      expect(seconds(str(svc(name).stop_grace_period) ?? '10s')).toBeGreaterThan(SERVICE_SHUTDOWN_DEADLINE_S);
    }
    expect(arr(obj(svc('postgres').healthcheck, 'pg').test, 'pg').join(' ')).toMatch(/pg_isready/);
    expect(arr(obj(svc('nats').healthcheck, 'nats').test, 'nats').join(' ')).toContain('http://127.0.0.1:8222/healthz?js-enabled-only=true');
    expect(existsSync(join(ROOT, 'infra/docker/healthcheck.mjs'))).toBe(true);
  });

  it('runs provisioning and sync with 2 replicas, and the gateway on 3000 alone', () => {
    expect(obj(svc('provisioning').deploy, 'deploy').replicas).toBe(2);
    expect(obj(svc('sync').deploy, 'deploy').replicas).toBe(2);
    expect(arr(svc('gateway').ports, 'ports').map(String)).toContain('3000:3000');
    expect(env('gateway').PORT ?? '3000').toBe('3000');
    for (const name of SERVICE_NAMES.filter((n) => n !== 'gateway')) expect(svc(name).ports).toBeUndefined();
  });

  it('configures NATS with JetStream on a volume, monitoring on 8222, from infra/nats/nats.conf', () => {
    const volumes = arr(svc('nats').volumes, 'nats.volumes').map(String);
    const conf = volumes.find((v) => v.startsWith('./infra/nats/nats.conf:'));
    expect(conf).toBeDefined();
    const confPath = (conf ?? '').split(':')[1];
    expect(arr(svc('nats').command, 'nats.command').map(String)).toEqual(['-c', confPath]);
    const text = read('infra/nats/nats.conf');
    expect(text).toMatch(/^http_port:\s*8222$/m);
    expect(text).toMatch(/^jetstream\s*\{/m);
    expect(text).toMatch(/^\s*sync_interval:\s*\S+/m);
    const storeDir = /^\s*store_dir:\s*"?([^"\s]+)"?/m.exec(text)?.[1] ?? '';
    expect(volumes.some((v) => { const [src, dst] = v.split(':'); return !src.startsWith('.') && storeDir.startsWith(dst); })).toBe(true);
  });

  it('passes an environment the services accept (API.md §2 parsing)', () => {
    for (const name of SERVICE_NAMES) {
      const e: Record<string, string> = {};
      for (const [k, v] of Object.entries(env(name))) if (!k.endsWith('_FILE') || k === 'SSH_PRIVATE_KEY_FILE' || k === 'JWT_PRIVATE_KEY_FILE') e[k] = v;
      e.DATABASE_URL = 'postgres://vpn:pw@postgres:5432/vpn';
      expect(() => loadPlatformConfig(e)).not.toThrow();
    }
  });
});
