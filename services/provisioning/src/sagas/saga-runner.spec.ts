import type { SagaEntity } from '@vpn/db';
import type { Logger } from '@vpn/runtime';
import { NothingDone, type SagaDefinition } from './saga-definition';
import { SagaRunner } from './saga-runner';
import type { SagasRepository } from './sagas.repository';
import { ProvisionerInstance } from './provisioner-instance';

/** A saga of three steps that logs what ran; `fail` names steps whose run (or undo, `undo:<name>`) throws. */
function world(onCrash: 'compensate' | 'resume', fail: string[] = []) {
  const log: string[] = [];
  const marked: string[] = [];
  const act = async (what: string) => {
    log.push(what);
    if (fail.includes(what)) throw new Error(`${what} failed`);
    if (fail.includes(`nothing:${what}`)) throw new NothingDone(new Error(`${what} refused`));
  };
  const def: SagaDefinition<null> = {
    kind: 'create',
    onCrash,
    steps: ['a', 'b', 'c'].map((name) => ({ name, run: () => act(name), undo: name === 'c' ? undefined : () => act(`undo:${name}`) })),
    restore: async () => null,
    failed: async () => void log.push('failed'),
  };
  const sagas = { markStep: async (_id: string, step: string) => void marked.push(step) } as unknown as SagasRepository;
  const logger = { warn: () => undefined, error: () => undefined, info: () => undefined } as unknown as Logger;
  const runner = new SagaRunner(sagas, new ProvisionerInstance(), logger);
  return { def, runner, log, marked };
}

const row = (step: string | null) => ({ id: 's1', kind: 'create', step, owner: 'x' }) as SagaEntity;

describe('SagaRunner', () => {
  it('records each later step with an undo before it starts, and ends with the last step', async () => {
    const w = world('compensate');
    await w.runner.run(w.def, 's1', null);
    expect(w.log).toEqual(['a', 'b', 'c']);
    expect(w.marked).toEqual(['b']); // a: the row's insert; c: nothing to undo
  });

  it('unwinds the started steps last-in first-out, including the one that failed, then ends FAILED', async () => {
    const w = world('compensate', ['c']);
    await expect(w.runner.run(w.def, 's1', null)).rejects.toThrow('c failed');
    expect(w.log).toEqual(['a', 'b', 'c', 'undo:b', 'undo:a', 'failed']);
  });

  it('skips the undo of a step that changed nothing', async () => {
    const w = world('compensate', ['nothing:b']);
    await expect(w.runner.run(w.def, 's1', null)).rejects.toThrow('b refused');
    expect(w.log).toEqual(['a', 'b', 'undo:a', 'failed']);
  });

  it('runs every undo when one fails, and leaves the saga for recovery instead of ending it', async () => {
    const w = world('compensate', ['c', 'undo:b']);
    await expect(w.runner.run(w.def, 's1', null)).rejects.toThrow('c failed');
    expect(w.log).toEqual(['a', 'b', 'c', 'undo:b', 'undo:a']);
  });

  it('recovers a compensating saga by undoing only up to its last started step', async () => {
    const w = world('compensate');
    await w.runner.recover(w.def, row('a'));
    expect(w.log).toEqual(['undo:a', 'failed']);
    const unknown = world('compensate');
    await unknown.runner.recover(unknown.def, row(null));
    expect(unknown.log).toEqual(['undo:b', 'undo:a', 'failed']);
  });

  it('fails a recovery whose compensation fails, so the next round retries it', async () => {
    const w = world('compensate', ['undo:a']);
    await expect(w.runner.recover(w.def, row('b'))).rejects.toThrow('retried in the next round');
    expect(w.log).toEqual(['undo:b', 'undo:a']);
  });

  it('resumes a forward saga at its last started step, recording the later ones', async () => {
    const w = world('resume');
    await w.runner.recover(w.def, row('b'));
    expect(w.log).toEqual(['b', 'c']);
    expect(w.marked).toEqual(['c']);
  });
});
