import { randomUUID } from 'node:crypto';
import { Controller, Inject, Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  CommonErrorCode, DomainError, VpnErrorCode, eventSubject,
  type CommandReply, type CommandRequest, type EventEnvelope,
} from '@vpn/contracts';
import { openDatabase, type DataSource } from '@vpn/db';
import { createLogger } from '@vpn/runtime';
import { createTestDatabase, TestBus, type TestDatabase, type TransportKind } from '@vpn/testing';
import {
  appendEvent, BusExceptionFilter, CommandPattern, encodeJson, EventContext, EventsPattern, OutboxRelay, startEventConsumer,
  type DeliveredMessage, type MessageTransport, type Subscription,
} from '../src';

const MEMBER = Symbol('MEMBER');
const handledBy: string[] = [];
const effectsSeen: string[] = [];

@Controller()
class AccountController {
  @CommandPattern('limits.account')
  account(@Payload() { userId }: CommandRequest<'limits.account'>): CommandReply<'limits.account'> {
    return { plan: { id: 'p1', name: 'Free', maxDevices: 3, dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false }, devicesUsed: userId.length, subscription: { status: 'ACTIVE', planId: 'p1', startedAt: null, expiresAt: null, dataLimitBytes: null, usedBytes: 0, lifetimeUsedBytes: 0, lastResetAt: null, nextResetAt: null } };
  }
}

@Controller()
class FailingController {
  @CommandPattern('server.delete')
  delete(): never {
    throw new DomainError(VpnErrorCode.SERVER_HAS_CONFIGS, 'server has 2 configs');
  }

  @CommandPattern('server.ssh-key')
  async sshKey(): Promise<never> {
    throw new Error('secret internals');
  }
}

@Controller()
class HangingController {
  @CommandPattern('sync.run')
  run(): Promise<never> {
    return new Promise(() => undefined);
  }
}

@Controller()
class ConfigListController {
  constructor(@Inject(MEMBER) private readonly member: string) {}

  @CommandPattern('config.list')
  async list(): Promise<CommandReply<'config.list'>> {
    handledBy.push(this.member);
    return [];
  }
}

@Controller()
class EffectsController {
  @EventsPattern({ consumer: 'contract-effects', types: ['server.deleted'] })
  async record(@Payload() e: EventEnvelope<'server.deleted'>, @Ctx() ctx: EventContext): Promise<void> {
    await ctx.manager.query(`INSERT INTO public.effects (event_id, n) VALUES ($1, 1)`, [e.id]);
    effectsSeen.push(e.data.serverId);
  }
}

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
  const apps: INestApplication[] = [];

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
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    for (const s of subs.splice(0)) await s.unsubscribe().catch(() => undefined);
    await bus.cleanup();
  });

  /** Serves `controller` as a service would: a Nest app on this bus's strategies, queue group `queue`. */
  async function serve(controller: Type<unknown>, member: string, queue = 'provisioning'): Promise<void> {
    const transport = await bus.connect(member);
    @Module({ controllers: [controller], providers: [{ provide: MEMBER, useValue: member }] })
    class Member {}
    const app = await NestFactory.create(Member, { logger: false });
    app.useGlobalFilters(new BusExceptionFilter(logger));
    for (const strategy of bus.endpoints(transport).createServers(queue, { dataSource: ds, logger })) {
      app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    }
    await app.startAllMicroservices();
    await app.init();
    apps.push(app);
  }

  it('answers a request with the handler reply', async () => {
    await serve(AccountController, 'server', 'billing-limits');
    const reply = await (await bus.commandBus('client')).request('limits.account', { userId: 'abcd' });
    expect(reply).toMatchObject({ plan: { id: 'p1', name: 'Free', maxDevices: 3 }, devicesUsed: 4, subscription: { status: 'ACTIVE', planId: 'p1' } });
  });

  it('carries a domain error code to the caller, and hides other errors as INTERNAL', async () => {
    await serve(FailingController, 'server');
    const client = await bus.commandBus('client');
    await expect(client.request('server.delete', { actorId: 'a', serverId: 's' })).rejects.toMatchObject({
      code: VpnErrorCode.SERVER_HAS_CONFIGS, message: 'server has 2 configs',
    });
    await expect(client.request('server.ssh-key', {})).rejects.toMatchObject({ code: CommonErrorCode.INTERNAL, message: 'internal error' });
  });

  it('ends a request whose deadline expires with BUS_TIMEOUT, close to the deadline', async () => {
    await serve(HangingController, 'server', 'sync');
    const client = await bus.commandBus('client');
    const started = Date.now();
    await expect(client.request('sync.run', { serverId: 's', actorId: 'a' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: CommonErrorCode.BUS_TIMEOUT });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(180);
    expect(took).toBeLessThan(1_500);
  });

  it('answers BUS_UNAVAILABLE at once when nobody serves the subject', async () => {
    const client = await bus.commandBus('client');
    const started = Date.now();
    await expect(client.request('audit.list', { limit: 1 }, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: CommonErrorCode.BUS_UNAVAILABLE });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('splits requests across the members of a queue group, each request handled once', async () => {
    handledBy.length = 0;
    for (const member of ['a', 'b']) await serve(ConfigListController, `member-${member}`);
    const client = await bus.commandBus('client');
    await Promise.all(Array.from({ length: 40 }, () => client.request('config.list', { userId: 'u' })));
    expect(handledBy).toHaveLength(40);
    expect(handledBy.filter((m) => m === 'member-a').length).toBeGreaterThan(0);
    expect(handledBy.filter((m) => m === 'member-b').length).toBeGreaterThan(0);
  });

  it('runs an @EventPattern handler once per event, in the transaction of its inbox row', async () => {
    effectsSeen.length = 0;
    await serve(EffectsController, 'consumer-a');
    // On NATS a second replica shares the durable consumer; the in-process bus has one process.
    if (kind === 'nats') await serve(EffectsController, 'consumer-b');
    const relay = new OutboxRelay(ds, await bus.connect('relay'), logger);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await ds.transaction(async (m) => {
      for (const id of ids) await appendEvent(m, 'server.deleted', { serverId: id }, { subject: id });
    });
    expect(await relay.drain()).toBe(5);
    const rows = async () => (await ds.query(
      `SELECT count(*)::int AS n FROM public.effects e JOIN messaging.inbox i ON i.event_id = e.event_id AND i.consumer = 'contract-effects'`,
    ))[0] as { n: number };
    await waitFor(() => effectsSeen.length >= 5, 10_000, 'five events handled');
    await new Promise((r) => setTimeout(r, 300));
    expect(effectsSeen.sort()).toEqual([...ids].sort());
    expect((await rows()).n).toBe(5);
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
