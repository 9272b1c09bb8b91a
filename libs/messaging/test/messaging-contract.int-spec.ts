import { randomUUID } from 'node:crypto';
import { CommonErrorCode, DomainError, VpnErrorCode, eventSubject, type EventEnvelope } from '@vpn/contracts';
import { openDatabase, type DataSource } from '@vpn/db';
import { createLogger } from '@vpn/runtime';
import { createTestDatabase, TestBus, type TestDatabase, type TransportKind } from '@vpn/testing';
import {
  appendEvent, CommandBus, encodeJson, OutboxRelay, startEventConsumer,
  type DeliveredMessage, type MessageTransport, type Subscription,
} from '../src';

const logger = createLogger({ level: 'silent', name: 'messaging-contract' });

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function envelopeBytes(id: string) {
  const env: EventEnvelope<'server.deleted'> = {
    id, type: 'server.deleted', occurredAt: new Date().toISOString(), actorId: null, subject: id, data: { serverId: id },
  };
  return encodeJson(env);
}

// One contract, two implementations: every behaviour the services rely on holds on both.
describe.each<TransportKind>(['in-process', 'nats'])('messaging contract (%s)', (kind) => {
  let bus: TestBus;
  let db: TestDatabase;
  let ds: DataSource;
  const subs: Subscription[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('messaging');
    ds = await openDatabase({ url: db.url, poolSize: 8 });
    await ds.query(`CREATE TABLE public.effects (event_id uuid NOT NULL, n int NOT NULL)`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  beforeEach(() => {
    bus = new TestBus(kind);
  });

  afterEach(async () => {
    for (const s of subs.splice(0)) await s.unsubscribe().catch(() => undefined);
    await bus.cleanup();
  });

  it('answers a request with the handler reply', async () => {
    const t = await bus.connect('server');
    const commands = new CommandBus(t);
    subs.push(await commands.handle('limits.account', async ({ userId }) => ({ plan: { id: 'p1', name: 'Free', maxDevices: 3 }, devicesUsed: userId.length })));
    const reply = await new CommandBus(await bus.connect('client')).request('limits.account', { userId: 'abcd' });
    expect(reply).toEqual({ plan: { id: 'p1', name: 'Free', maxDevices: 3 }, devicesUsed: 4 });
  });

  it('carries a domain error code to the caller, and hides other errors as INTERNAL', async () => {
    const commands = new CommandBus(await bus.connect('server'));
    subs.push(await commands.handle('server.delete', async () => {
      throw new DomainError(VpnErrorCode.SERVER_HAS_CONFIGS, 'server has 2 configs');
    }));
    subs.push(await commands.handle('server.ssh-key', async () => {
      throw new Error('secret internals');
    }));
    const client = new CommandBus(await bus.connect('client'));
    await expect(client.request('server.delete', { actorId: 'a', serverId: 's' })).rejects.toMatchObject({
      code: VpnErrorCode.SERVER_HAS_CONFIGS, message: 'server has 2 configs',
    });
    await expect(client.request('server.ssh-key', {})).rejects.toMatchObject({ code: CommonErrorCode.INTERNAL, message: 'internal error' });
  });

  it('ends a request whose deadline expires with BUS_TIMEOUT, close to the deadline', async () => {
    const commands = new CommandBus(await bus.connect('server'));
    subs.push(await commands.handle('sync.run', () => new Promise(() => undefined)));
    const client = new CommandBus(await bus.connect('client'));
    const started = Date.now();
    await expect(client.request('sync.run', { serverId: 's', actorId: 'a' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: CommonErrorCode.BUS_TIMEOUT });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(180);
    expect(took).toBeLessThan(1_500);
  });

  it('answers BUS_UNAVAILABLE at once when nobody serves the subject', async () => {
    const client = new CommandBus(await bus.connect('client'));
    const started = Date.now();
    await expect(client.request('audit.list', { limit: 1 }, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: CommonErrorCode.BUS_UNAVAILABLE });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('splits requests across the members of a queue group, each request handled once', async () => {
    const handledBy: string[] = [];
    for (const member of ['a', 'b']) {
      const c = new CommandBus(await bus.connect(`member-${member}`));
      subs.push(await c.handle('config.list', async () => {
        handledBy.push(member);
        return [];
      }));
    }
    const client = new CommandBus(await bus.connect('client'));
    await Promise.all(Array.from({ length: 40 }, () => client.request('config.list', { userId: 'u' })));
    expect(handledBy).toHaveLength(40);
    expect(handledBy.filter((m) => m === 'a').length).toBeGreaterThan(0);
    expect(handledBy.filter((m) => m === 'b').length).toBeGreaterThan(0);
  });

  it('delivers a nak-ed event again, with a higher delivery count', async () => {
    const t = await bus.connect('consumer');
    const deliveries: number[] = [];
    subs.push(await t.consume(
      { durable: 'nak-test', filterSubject: 'vpn.events.>', maxDeliver: 5, ackWaitMs: 5_000, maxAckPending: 10 },
      async (m: DeliveredMessage) => {
        deliveries.push(m.deliveryCount);
        if (m.deliveryCount === 1) m.nak(50);
        else m.ack();
      },
    ));
    await (await bus.connect('publisher')).publishEvent(eventSubject('server.deleted'), envelopeBytes(randomUUID()), randomUUID());
    await waitFor(() => deliveries.length >= 2, 10_000, 'redelivery');
    await new Promise((r) => setTimeout(r, 200));
    expect(deliveries).toEqual([1, 2]);
  });

  it('drops a second publish with the same Nats-Msg-Id', async () => {
    const t = await bus.connect('publisher');
    const id = randomUUID();
    const first = await t.publishEvent(eventSubject('server.deleted'), envelopeBytes(id), id);
    const second = await t.publishEvent(eventSubject('server.deleted'), envelopeBytes(id), id);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const received: string[] = [];
    subs.push(await t.consume(
      { durable: 'dedupe-test', filterSubject: 'vpn.events.>', maxDeliver: 3, ackWaitMs: 5_000, maxAckPending: 10 },
      async (m) => {
        received.push(m.subject);
        m.ack();
      },
    ));
    await waitFor(() => received.length >= 1, 5_000, 'delivery');
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual(['vpn.events.server.deleted']);
  });

  it('delivers an event whose transaction committed, and never one whose transaction rolled back', async () => {
    const t = await bus.connect('relay');
    const relay = new OutboxRelay(ds, t, logger);
    const committedId = randomUUID();
    await ds.transaction(async (m) => {
      await appendEvent(m, 'server.deleted', { serverId: committedId }, { subject: committedId });
    });
    const rolledBackId = randomUUID();
    await expect(ds.transaction(async (m) => {
      await appendEvent(m, 'server.deleted', { serverId: rolledBackId }, { subject: rolledBackId });
      throw new Error('business rule failed after the event was written');
    })).rejects.toThrow('business rule failed');
    const published = await relay.drain();
    expect(published).toBe(1);
    const seen: string[] = [];
    subs.push(await startEventConsumer(await bus.connect('consumer'), ds, logger, {
      name: `tx-test-${randomUUID().slice(0, 8)}`,
      handler: async (e) => {
        seen.push((e.data as { serverId: string }).serverId);
      },
    }));
    await waitFor(() => seen.length >= 1, 10_000, 'committed event');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([committedId]);
  });

  it('resumes a consumer killed mid-batch without losing or repeating an effect', async () => {
    const total = 60;
    const consumerName = `kill-test-${randomUUID().slice(0, 8)}`;
    const publisher = await bus.connect('publisher');
    const ids = Array.from({ length: total }, () => randomUUID());
    let handled = 0;
    const handler = async (e: EventEnvelope, m: import('typeorm').EntityManager) => {
      await m.query(`INSERT INTO public.effects (event_id, n) VALUES ($1, 1)`, [e.id]);
      handled++;
      await new Promise((r) => setTimeout(r, 5));
    };
    // The first consumer runs on its own connection, as its own process would.
    let first: MessageTransport;
    if (kind === 'nats') first = await bus.connect('doomed-consumer');
    else first = await bus.connect('doomed-consumer');
    const firstSub = await startEventConsumer(first, ds, logger, { name: consumerName, handler, ackWaitMs: 1_000, maxAckPending: 16 });
    await Promise.all(ids.map((id) => publisher.publishEvent(eventSubject('server.deleted'), envelopeBytes(id), id)));
    await waitFor(() => handled >= 15, 10_000, 'first part of the batch');
    // Kill: NATS loses the connection with acks unsent; in-process stops without settling anything.
    if (kind === 'nats') await first.abort();
    else await firstSub.unsubscribe();
    const handledBeforeKill = handled;
    expect(handledBeforeKill).toBeLessThan(total);

    subs.push(await startEventConsumer(await bus.connect('second-consumer'), ds, logger, { name: consumerName, handler, ackWaitMs: 1_000, maxAckPending: 16 }));
    const rows = async () => (await ds.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM public.effects WHERE event_id = ANY($1::uuid[])`, [ids]))[0] as { n: number; d: number };
    await waitFor(async () => (await rows()).d === total, 20_000, 'every event handled');
    await new Promise((r) => setTimeout(r, 1_500)); // past the ack wait: any redelivery would have landed
    expect(await rows()).toEqual({ n: total, d: total });
  });
});
