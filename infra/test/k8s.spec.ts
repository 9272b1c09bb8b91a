// The Kubernetes manifests: each document validated against the Kubernetes API schemas
// (kubernetes-models), then cross-checked with each other and with the code they run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICE_NAMES } from '@vpn/contracts';
import { loadPlatformConfig } from '@vpn/runtime';
import { arr, obj, REQUIRED_FILES, ROOT, SERVICE_SHUTDOWN_DEADLINE_S, str, type Obj } from './support/manifests';

/** The API model of each kind the folder ships; a kind not listed here fails the schema test. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Namespace': Namespace,
  'v1 Secret': Secret,
  'v1 Service': Service,
};

/** Validates one manifest against its kind's schema; throws naming every violation. */
function validateManifest(doc: Obj): void {
  const Model = MODELS[`${str(doc.apiVersion)} ${str(doc.kind)}`];
  if (!Model) throw new Error(`no schema for ${str(doc.apiVersion)} ${str(doc.kind)}`);
  new Model(doc as never).validate();
}

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

  it('every manifest is valid against the Kubernetes API schema of its kind', () => {
    for (const { file, doc } of docs) expect([file, doc.kind, (() => { validateManifest(doc); return 'valid'; })()]).toEqual([file, doc.kind, 'valid']);
  });

  it('the schema check rejects a malformed Deployment (wrong types, missing containers)', () => {
    const gateway = structuredClone(obj(deployments.get('gateway'), 'gateway'));
    obj(gateway.spec, 'spec').replicas = 'two';
    delete podSpec(gateway).containers;
    expect(() => validateManifest(gateway)).toThrow(/replicas must be integer[\s\S]*containers/);
  });

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
