import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { openDatabase } from '@vpn/db';
import { appendEvent, BusExceptionFilter, CommandPattern, OutboxRelay } from '@vpn/messaging';
import { createLogger } from '@vpn/runtime';
import { createTestDatabase, TestBus, type TransportKind } from '@vpn/testing';

@Controller()
class AccountController {
  @CommandPattern('limits.account')
  account(@Payload() { userId }: CommandRequest<'limits.account'>): CommandReply<'limits.account'> {
    return { plan: { id: userId, name: 'Free', maxDevices: 3, dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false }, devicesUsed: 0, subscription: { status: 'ACTIVE', planId: 'p1', startedAt: null, expiresAt: null, dataLimitBytes: null, usedBytes: 0, lifetimeUsedBytes: 0, lastResetAt: null, nextResetAt: null } };
  }
}

@Module({ controllers: [AccountController] })
class AccountModule {}

interface BenchRow { name: string; value: number; unit: string; goal?: string; notes?: string }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function roundTrip(kind: TransportKind): Promise<BenchRow[]> {
  const bus = new TestBus(kind);
  const logger = createLogger({ level: 'silent', name: 'bench' });
  const db = await createTestDatabase('bench_rt');
  const ds = await openDatabase({ url: db.url, poolSize: 2 });
  // The server side exactly as a service runs it: a Nest app on the bus's strategies, the global filter.
  const app = await NestFactory.create(AccountModule, { logger: false });
  try {
    app.useGlobalFilters(new BusExceptionFilter(logger));
    for (const strategy of bus.endpoints(await bus.connect('server')).createServers('billing-limits', { dataSource: ds, logger })) {
      app.connectMicroservice({ strategy }, { inheritAppConfig: true });
    }
    await app.startAllMicroservices();
    await app.init();
    const client = await bus.commandBus('client');
    for (let i = 0; i < 200; i++) await client.request('limits.account', { userId: 'warm' });
    const samples: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      await client.request('limits.account', { userId: 'u' });
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 5_000 }, () => client.request('limits.account', { userId: 'u' })));
    const concurrentRate = 5_000 / ((performance.now() - t0) / 1000);
    return [
      { name: `command round trip p50 (${kind})`, value: +percentile(samples, 50).toFixed(3), unit: 'ms' },
      { name: `command round trip p99 (${kind})`, value: +percentile(samples, 99).toFixed(3), unit: 'ms' },
      { name: `commands/s, 5,000 concurrent (${kind})`, value: Math.round(concurrentRate), unit: 'req/s' },
    ];
  } finally {
    await app.close();
    await bus.cleanup();
    await ds.destroy();
    await db.drop();
  }
}

async function relayThroughput(): Promise<BenchRow[]> {
  const db = await createTestDatabase('bench_relay');
  const ds = await openDatabase({ url: db.url });
  const bus = new TestBus('nats');
  try {
    const n = 10_000;
    for (let b = 0; b < n / 500; b++) {
      await ds.transaction(async (m) => {
        for (let i = 0; i < 500; i++) {
          const id = randomUUID();
          await appendEvent(m, 'server.deleted', { serverId: id }, { subject: id });
        }
      });
    }
    const relay = new OutboxRelay(ds, await bus.connect('relay'), createLogger({ level: 'silent', name: 'bench' }));
    const t = performance.now();
    const published = await relay.drain();
    const secs = (performance.now() - t) / 1000;
    return [{ name: `outbox relay → JetStream (${published} events)`, value: Math.round(published / secs), unit: 'events/s' }];
  } finally {
    await bus.cleanup();
    await ds.destroy();
    await db.drop();
  }
}

export default async function bench(): Promise<BenchRow[]> {
  return [...(await roundTrip('nats')), ...(await roundTrip('in-process')), ...(await relayThroughput())];
}
