// The image, read with dockerfile-ast (the parser of the Docker language server): stages,
// instructions and their arguments, cross-checked against the code and its start scripts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { SERVICE_NAMES } from '@vpn/contracts';
import { entrypointFileVars, PACKAGE_DIR, read, ROOT } from './support/manifests';

/** Stage name → its instructions, in order. */
function stagesOf(text: string): Map<string, Instruction[]> {
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] | null = null;
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      current = [];
      stages.set((instruction as unknown as { getBuildStage(): string | null }).getBuildStage() ?? `stage${stages.size}`, current);
    }
    current?.push(instruction);
  }
  return stages;
}

const args = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
const find = (stage: Instruction[], keyword: string): Instruction[] => stage.filter((i) => i.getKeyword() === keyword);

describe('infra/docker/Dockerfile', () => {
  const stages = stagesOf(read('infra/docker/Dockerfile'));
  const runtime = [...stages.values()].at(-1) ?? [];
  const entrypoint = read('infra/docker/entrypoint.sh');

  it('has deps, build and runtime stages; build runs scripts/build.mjs, deps runs npm ci', () => {
    expect([...stages.keys()]).toEqual(expect.arrayContaining(['deps', 'build', 'runtime']));
    expect(find(stages.get('build') ?? [], 'RUN').map((i) => args(i).slice(0, 2))).toContainEqual(['node', 'scripts/build.mjs']);
    expect(existsSync(join(ROOT, 'scripts/build.mjs'))).toBe(true);
    expect(find(stages.get('deps') ?? [], 'RUN').map((i) => args(i).filter((a) => !a.startsWith('--mount')).slice(0, 2))).toContainEqual(['npm', 'ci']);
  });

  it('runs as a non-root user in the last stage, under tini with the entrypoint and health check it copies', () => {
    const users = find(runtime, 'USER').map((i) => args(i)[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
    const [entry] = find(runtime, 'ENTRYPOINT');
    expect(JSON.parse(entry.getArgumentsContent() ?? '[]')).toEqual(['/usr/bin/tini', '--', '/app/infra/docker/entrypoint.sh']);
    const copied = find(runtime, 'COPY').flatMap((i) => args(i).filter((a) => !a.startsWith('--')));
    expect(copied).toEqual(expect.arrayContaining(['infra/docker/entrypoint.sh', 'infra/docker/healthcheck.mjs']));
    const [health] = find(runtime, 'HEALTHCHECK');
    expect(args(health)).toEqual(expect.arrayContaining(['CMD']));
    expect(health.getArgumentsContent()).toContain('/app/infra/docker/healthcheck.mjs');
    // The runtime image gets each package's dist and the dashboard build the gateway serves.
    expect(find(stages.get('build') ?? [], 'RUN').map((i) => i.getArgumentsContent()).join('\n')).toContain('frontend/dist');
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
      expect(/entry="?([^";\s]+)"?/.exec(arm ?? '')?.[1]?.replace('$service', service)).toBe(entry);
    }
  });

  it('the entrypoint turns VAR_FILE secrets into VAR for the variables compose passes as files', () => {
    expect(entrypointFileVars()).toEqual(expect.arrayContaining(['DATABASE_URL', 'ADMIN_PASSWORD']));
  });
});
