// The README's operator tables against the contracts: one row per event type (with its producer,
// consumers and payload fields) and the owner of every command subject.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_SUBJECTS, commandOwner, EVENT_TYPES, eventSubject, SERVICE_NAMES, type ServiceName } from '@vpn/contracts';
import { PACKAGE_DIR, read, ROOT } from './support/manifests';

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
