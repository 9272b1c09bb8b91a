import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { testTiers } from './tiers';

describe('testTiers', () => {
  let root: string;
  const write = (rel: string, text = '') => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const tiersOf = () => {
    const t = testTiers(root, [join(root, 'libs'), join(root, 'infra'), join(root, 'frontend', 'e2e')]);
    return Object.fromEntries(Object.entries(t).map(([k, files]) => [k, files.map((f) => relative(root, f)).sort()]));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tiers-'));
    write('infra/lab/test/lab-fixture.ts', 'export const startLab = 1;');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('puts each file in the tier of what it needs, following fixtures to the lab', () => {
    write('libs/a/src/a.spec.ts');
    write('libs/a/test/db.int-spec.ts', "import { x } from './plain';");
    write('libs/a/test/plain.ts', 'export const x = 1;');
    write('libs/a/test/world.ts', "export { startLab } from '../../../infra/lab/test/lab-fixture';");
    write('libs/a/test/servers.int-spec.ts', "import { startLab } from './world';");
    write('frontend/e2e/ui.e2e-spec.ts', "import { startLab } from '../../infra/lab/test/lab-fixture';");
    expect(tiersOf()).toEqual({
      unit: ['libs/a/src/a.spec.ts'],
      integration: ['libs/a/test/db.int-spec.ts'],
      lab: ['libs/a/test/servers.int-spec.ts'],
      browser: ['frontend/e2e/ui.e2e-spec.ts'],
    });
  });

  it('does not loop on import cycles', () => {
    write('libs/a/test/one.ts', "import './two';");
    write('libs/a/test/two.ts', "import { y } from './one';");
    write('libs/a/test/cycle.int-spec.ts', "import { y } from './one';");
    expect(tiersOf().integration).toEqual(['libs/a/test/cycle.int-spec.ts']);
  });
});
