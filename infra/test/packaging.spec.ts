// Packaging checks without a container engine or a cluster: parses docker-compose.yml, the
// Kubernetes manifests, the Dockerfiles and the scripts they call, and cross-checks them against
// the code (service entry points, the environment it requires, the event and command contracts).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { COMMAND_SUBJECTS, commandOwner, EVENT_TYPES, eventSubject, SERVICE_NAMES, type ServiceName } from '@vpn/contracts';
import { loadPlatformConfig } from '@vpn/runtime';

const ROOT = resolve(__dirname, '../..');
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new Error(`${what}: expected a mapping, got ${JSON.stringify(v)}`);
  return v;
}
function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Directory of each service's package, as in scripts/start-service.mjs. */
const PACKAGE_DIR: Record<ServiceName, string> = {
  gateway: 'gateway',
  auth: 'services/auth',
  'billing-limits': 'services/billing-limits',
  provisioning: 'services/provisioning',
  sync: 'services/sync',
  audit: 'services/audit',
};
/** What each service reads beyond DATABASE_URL and NATS_URL to run as its own process. */
const REQUIRED_FILES: Partial<Record<ServiceName, string[]>> = {
  provisioning: ['SSH_PRIVATE_KEY_FILE'],
  sync: ['SSH_PRIVATE_KEY_FILE'],
  auth: ['JWT_PRIVATE_KEY_FILE'],
};
/** The shutdown deadline of libs/runtime ShutdownCoordinator: stop grace periods must exceed it. */
const SERVICE_SHUTDOWN_DEADLINE_S = 15;

function seconds(duration: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unparsable duration ${duration}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

// ── the image ────────────────────────────────────────────────────────────────────────────────
describe('infra/docker/Dockerfile', () => {
  const dockerfile = read('infra/docker/Dockerfile');
  /** Stage name → its instructions (continuation lines joined). */
  const stages = new Map<string, string[]>();
  let current = '';
  for (const line of dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = from[1] ?? `stage${stages.size}`;
      stages.set(current, []);
    }
    if (current) stages.get(current)?.push(line);
  }
  const entrypoint = read('infra/docker/entrypoint.sh');

  it('has deps, build and runtime stages; the build stage runs scripts/build.mjs, which exists', () => {
    expect([...stages.keys()]).toEqual(expect.arrayContaining(['deps', 'build', 'runtime']));
    const build = stages.get('build') ?? [];
    expect(build.some((l) => /^RUN\b.*node scripts\/build\.mjs/.test(l))).toBe(true);
    expect(existsSync(join(ROOT, 'scripts/build.mjs'))).toBe(true);
    expect(stages.get('deps')?.some((l) => /^RUN\b.*npm ci\b/.test(l))).toBe(true);
  });

  it('runs as a non-root user in the last stage, with tini and the entrypoint it copies', () => {
    const names = [...stages.keys()];
    const last = stages.get(names[names.length - 1]) ?? [];
    const users = last.filter((l) => /^USER\s/.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    const ep = last.find((l) => l.startsWith('ENTRYPOINT'));
    expect(ep).toContain('/app/infra/docker/entrypoint.sh');
    expect(last.some((l) => l.startsWith('COPY') && l.includes('infra/docker/entrypoint.sh') && l.includes('infra/docker/healthcheck.mjs'))).toBe(true);
    expect(last.some((l) => /^HEALTHCHECK\b.*healthcheck\.mjs/.test(l))).toBe(true);
    // The runtime image gets each package's dist and the dashboard build the gateway serves.
    expect(stages.get('build')?.join('\n')).toMatch(/frontend\/dist/);
  });

  it('maps every service to the entry file the code builds (<pkg>/src/main.ts → <pkg>/dist/main.js), as npm run start:<service> does', () => {
    const startService = read('scripts/start-service.mjs');
    for (const service of SERVICE_NAMES) {
      const dir = PACKAGE_DIR[service];
      expect(existsSync(join(ROOT, dir, 'src/main.ts'))).toBe(true);
      expect(JSON.parse(read(`${dir}/package.json`)).main).toBe('dist/index.js');
      const entry = `${dir}/dist/main.js`;
      expect(startService).toContain(`'${entry}'`);
      // entrypoint.sh: a case arm that selects this service and the entry it runs.
      const arm = entrypoint.split('\n').find((l) => new RegExp(`(^|[ |])${service}( |\\))`).test(l) && l.includes('entry='));
      expect(arm).toBeDefined();
      const path = /entry="?([^";\s]+)"?/.exec(arm ?? '')?.[1]?.replace('$service', service);
      expect(path).toBe(entry);
    }
  });

  it('the entrypoint turns VAR_FILE secrets into VAR for the variables compose passes as files', () => {
    const list = /for var in ([A-Z_ ]+); do/.exec(entrypoint)?.[1]?.trim().split(/\s+/) ?? [];
    expect(list).toEqual(expect.arrayContaining(['DATABASE_URL', 'ADMIN_PASSWORD']));
  });
});

// ── docker-compose.yml ───────────────────────────────────────────────────────────────────────
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
  const entrypointFileVars = (/for var in ([A-Z_ ]+); do/.exec(read('infra/docker/entrypoint.sh'))?.[1] ?? '').trim().split(/\s+/);
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
    expect(entrypointFileVars).toContain(variable);
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
    const dockerfile = read(posix.join(str(build.context) ?? '', 'Dockerfile'));
    expect(dockerfile).toMatch(/FROM debian:bookworm-slim/);
    for (const pkg of ['wireguard-tools', 'wireguard-go', 'openssh-server', 'iproute2']) expect(dockerfile).toMatch(new RegExp(`\\b${pkg}\\b`));
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

// ── Kubernetes ───────────────────────────────────────────────────────────────────────────────
describe('infra/k8s', () => {
  const dir = join(ROOT, 'infra/k8s');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const docs = files
    .filter((f) => f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => ({ file: f, doc: obj(d.toJS(), f) })));
  const byKind = (kind: string): Obj[] => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
  const namespace = str(obj(byKind('Namespace')[0]?.metadata, 'namespace').name);
  const configMaps = new Map(byKind('ConfigMap').map((c) => [str(obj(c.metadata, 'cm').name), obj(c.data, 'cm.data')]));
  const secrets = new Map(byKind('Secret').map((s) => [str(obj(s.metadata, 'secret').name), { ...obj(s.stringData ?? {}, 's'), ...obj(s.data ?? {}, 's') }]));
  const deployments = new Map(byKind('Deployment').map((d) => [str(obj(d.metadata, 'deployment').name) ?? '', d]));
  const podSpec = (d: Obj): Obj => obj(obj(obj(d.spec, 'spec').template, 'template').spec, 'pod spec');
  const podLabels = (d: Obj): Obj => obj(obj(obj(obj(d.spec, 'spec').template, 'template').metadata, 'template.metadata').labels, 'labels');
  const container = (d: Obj): Obj => obj(arr(podSpec(d).containers, 'containers')[0], 'container');
  const selects = (selector: Obj, labels: Obj): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

  it('kustomization lists exactly the manifests in the folder, all in one namespace', () => {
    const k = obj(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')), 'kustomization');
    expect(arr(k.resources, 'resources').map(String).sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml'));
    expect(namespace).toBe('vpn-control-plane');
    expect(k.namespace).toBe(namespace);
    for (const { file, doc } of docs) if (doc.kind !== 'Namespace') expect([file, obj(doc.metadata, file).namespace]).toEqual([file, namespace]);
  });

  it('has one Deployment per service running that service, with the replicas operators expect', () => {
    expect([...deployments.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) {
      const d = obj(deployments.get(name), name);
      expect(arr(container(d).args, `${name}.args`)).toEqual([name]);
      expect(selects(obj(obj(obj(d.spec, 'spec').selector, 'selector').matchLabels, 'matchLabels'), podLabels(d))).toBe(true);
    }
    const replicas = (n: string) => obj(deployments.get(n)?.spec, n).replicas;
    expect([replicas('provisioning'), replicas('sync'), replicas('gateway')]).toEqual([2, 2, 2]);
  });

  it('probes readiness on the health endpoint and liveness on a port the container declares (the configured one)', () => {
    const config = configMaps.get('vpn-config') ?? {};
    for (const name of SERVICE_NAMES) {
      const c = container(obj(deployments.get(name), name));
      const ports = arr(c.ports, `${name}.ports`).map((p) => obj(p, 'port'));
      const resolvePort = (port: unknown): number | undefined => ports.find((p) => p.name === port || p.containerPort === port)?.containerPort as number | undefined;
      const expectedPort = Number(name === 'gateway' ? config.PORT : config.HEALTH_PORT);
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const http = obj(obj(c[probe], `${name}.${probe}`).httpGet, `${name}.${probe}.httpGet`);
        expect([name, probe, resolvePort(http.port)]).toEqual([name, probe, expectedPort]);
      }
      expect(obj(obj(c.readinessProbe, 'r').httpGet, 'r').path).toBe(name === 'gateway' ? '/api/health' : '/health');
    }
  });

  it('sets resources and a restricted security context on every container', () => {
    for (const name of SERVICE_NAMES) {
      const d = obj(deployments.get(name), name);
      const c = container(d);
      const res = obj(c.resources, `${name}.resources`);
      for (const k of ['cpu', 'memory']) {
        expect(obj(res.requests, 'requests')[k]).toBeDefined();
        expect(obj(res.limits, 'limits')[k]).toBeDefined();
      }
      expect(obj(podSpec(d).securityContext, 'pod sc').runAsNonRoot).toBe(true);
      const sc = obj(c.securityContext, `${name}.securityContext`);
      expect([sc.allowPrivilegeEscalation, sc.readOnlyRootFilesystem, obj(sc.capabilities, 'caps').drop]).toEqual([false, true, ['ALL']]);
      // A read-only root needs writable /tmp and DATA_DIR.
      const mounts = arr(c.volumeMounts, 'mounts').map((m) => str(obj(m, 'mount').mountPath));
      expect(mounts).toEqual(expect.arrayContaining(['/tmp', str((configMaps.get('vpn-config') ?? {}).DATA_DIR)]));
      expect(Number(podSpec(d).terminationGracePeriodSeconds)).toBeGreaterThan(SERVICE_SHUTDOWN_DEADLINE_S);
    }
  });

  it('resolves every env reference to a ConfigMap or Secret key that exists, and gives each service what it needs', () => {
    for (const name of SERVICE_NAMES) {
      const d = obj(deployments.get(name), name);
      const c = container(d);
      const available = new Map<string, string>();
      for (const from of arr(c.envFrom ?? [], 'envFrom').map((f) => obj(f, 'envFrom'))) {
        const cm = str(obj(from.configMapRef, 'configMapRef').name);
        expect(configMaps.has(cm)).toBe(true);
        for (const [k, v] of Object.entries(configMaps.get(cm) ?? {})) available.set(k, str(v) ?? '');
      }
      for (const e of arr(c.env ?? [], 'env').map((x) => obj(x, 'env'))) {
        const name_ = str(e.name) ?? '';
        if (e.value !== undefined) {
          available.set(name_, str(e.value) ?? '');
          continue;
        }
        const from = obj(e.valueFrom, `${name}.${name_}.valueFrom`);
        const ref = obj(from.secretKeyRef ?? from.configMapKeyRef, `${name}.${name_} ref`);
        const source = from.secretKeyRef ? secrets.get(str(ref.name)) : configMaps.get(str(ref.name));
        expect([name, name_, source !== undefined && str(ref.key) !== undefined && str(ref.key) as string in source]).toEqual([name, name_, true]);
        available.set(name_, String((source ?? {})[str(ref.key) ?? '']));
      }
      for (const v of ['DATABASE_URL', 'NATS_URL', ...(REQUIRED_FILES[name] ?? [])]) expect([name, v, available.has(v)]).toEqual([name, v, true]);
      if (name === 'auth') expect(available.has('ADMIN_PASSWORD')).toBe(true);
      expect(() => loadPlatformConfig(Object.fromEntries(available))).not.toThrow();

      // Key files: the path is a file of a mounted Secret volume, and that Secret has the key.
      for (const v of REQUIRED_FILES[name] ?? []) {
        const path = available.get(v) ?? '';
        const mount = arr(c.volumeMounts, 'mounts').map((m) => obj(m, 'mount')).find((m) => path.startsWith(`${str(m.mountPath)}/`));
        expect(mount).toBeDefined();
        const volume = arr(podSpec(d).volumes, 'volumes').map((x) => obj(x, 'volume')).find((x) => x.name === mount?.name);
        const secret = obj(volume?.secret, `${name}.${v} volume`);
        const item = arr(secret.items, 'items').map((i) => obj(i, 'item')).find((i) => `${str(mount?.mountPath)}/${str(i.path)}` === path);
        expect(item).toBeDefined();
        expect(Object.keys(secrets.get(str(secret.secretName)) ?? {})).toContain(item?.key);
      }
    }
    expect(Number((configMaps.get('vpn-config') ?? {}).NATS_STREAM_REPLICAS)).toBe(3);
  });

  it('has a PodDisruptionBudget keeping one provisioning pod, and a Service for the gateway port', () => {
    const pdbs = byKind('PodDisruptionBudget');
    const provisioningLabels = podLabels(obj(deployments.get('provisioning'), 'provisioning'));
    const pdb = pdbs.find((p) => selects(obj(obj(obj(p.spec, 'pdb').selector, 'sel').matchLabels, 'ml'), provisioningLabels));
    expect(pdb).toBeDefined();
    expect(obj(pdb?.spec, 'pdb').minAvailable).toBe(1);
    for (const other of SERVICE_NAMES.filter((n) => n !== 'provisioning')) {
      expect(selects(obj(obj(obj(pdb?.spec, 'pdb').selector, 'sel').matchLabels, 'ml'), podLabels(obj(deployments.get(other), other)))).toBe(false);
    }
    const gateway = obj(deployments.get('gateway'), 'gateway');
    const service = byKind('Service').find((s) => selects(obj(obj(s.spec, 'svc').selector, 'sel'), podLabels(gateway)));
    expect(service).toBeDefined();
    const ports = arr(container(gateway).ports, 'ports').map((p) => obj(p, 'p'));
    for (const p of arr(obj(service?.spec, 'svc').ports, 'svc.ports').map((x) => obj(x, 'sp'))) {
      expect(ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)).toBe(true);
    }
  });

  it('ships the Secret as a clearly marked template: every value is a placeholder', () => {
    const secret = secrets.get('vpn-secrets') ?? {};
    expect(Object.keys(secret).length).toBeGreaterThanOrEqual(4);
    for (const [k, v] of Object.entries(secret)) expect([k, String(v).includes('REPLACE_ME')]).toEqual([k, true]);
    expect(readFileSync(join(dir, 'secret.yaml'), 'utf8')).toMatch(/TEMPLATE/);
  });
});

// ── README: the operator docs match the contracts ──────────────────────────────────────────────
describe('README Operating section', () => {
  const readme = read('README.md');
  const section = (title: string): string => {
    const start = readme.indexOf(`\n${title}\n`);
    if (start < 0) throw new Error(`README has no "${title.trim()}" heading`);
    const rest = readme.slice(start + title.length + 2);
    const level = /^#+/.exec(title)?.[0] ?? '##';
    const end = rest.search(new RegExp(`\\n${level} `));
    return end < 0 ? rest : rest.slice(0, end);
  };
  const rows = (text: string): string[][] =>
    text.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l)).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));

  const servicesSrc = (service: string): string[] => {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(p)) out.push(readFileSync(p, 'utf8'));
      }
    };
    walk(join(ROOT, PACKAGE_DIR[service as ServiceName], 'src'));
    return out;
  };
  const sources = new Map(SERVICE_NAMES.filter((n) => n !== 'gateway').map((n) => [n, servicesSrc(n).join('\n')]));
  /** The one service whose code names the event type (events are appended where the change happens). */
  function producerOf(type: string): string {
    const found = [...sources].filter(([, text]) => text.includes(`'${type}'`)).map(([n]) => n);
    expect([type, found.length]).toEqual([type, 1]);
    return found[0];
  }
  /** Top-level payload fields of an event type, from its line in libs/contracts/src/events.ts. */
  const eventsTs = read('libs/contracts/src/events.ts');
  function payloadFields(type: string): string[] {
    const at = eventsTs.indexOf(`'${type}': `);
    expect(at).toBeGreaterThan(0);
    const rest = eventsTs.slice(at + type.length + 4);
    const ref = /^(\w+);/.exec(rest);
    const body = ref ? (new RegExp(`interface ${ref[1]} \\{([^}]*)\\}`).exec(read('libs/contracts/src/views.ts'))?.[1] ?? '') : rest.slice(0, rest.indexOf('};'));
    // Fields at the first nesting level only.
    let depth = 0;
    let top = '';
    for (const ch of body.replace(/^\s*\{/, '')) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      if (depth === 0 && ch !== '}') top += ch;
    }
    return [...top.matchAll(/(\w+)\??:/g)].map((m) => m[1]);
  }

  it('the event catalog has one row per event type with its producer and consumers', () => {
    const table = rows(section('### Event catalog'));
    const subjects = table.map((r) => r[0].replace(/`/g, ''));
    expect(subjects.filter((s) => s.startsWith('vpn.events.')).sort()).toEqual(EVENT_TYPES.map((t) => eventSubject(t)).sort());
    for (const r of table.filter((x) => x[0].includes('vpn.events.'))) {
      expect(r.length).toBeGreaterThanOrEqual(4);
      const type = r[0].replace(/`/g, '').slice('vpn.events.'.length);
      // The producer is the service whose code emits the type; every event is consumed by audit.
      expect([type, r[2].replace(/`/g, '').split(/[ ,]/)[0]]).toEqual([type, producerOf(type)]);
      expect(r[3]).toMatch(/audit/);
      // The payload column names each field of the type's payload (checked against events.ts).
      for (const field of payloadFields(type)) expect([type, r[1].includes(field)]).toEqual([type, true]);
    }
  });

  it('the command table names the owner service of every command subject', () => {
    const table = rows(section('### Commands'));
    const owners = new Map(table.map((r) => [r[0].replace(/`/g, ''), r[1].replace(/`/g, '')]));
    for (const subject of COMMAND_SUBJECTS) expect([subject, owners.get(subject)]).toEqual([subject, commandOwner(subject)]);
  });
});
