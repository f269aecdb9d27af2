import { createServer, connect, type Server, type Socket } from 'node:net';

import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { classifyError } from '@reelhouse/core';

import { freePort, mongoClientOptions } from '../src/index.ts';

/** A TCP proxy to the test server that can stop forwarding, as a server that hangs would. */
async function freezableProxy(
  target: URL,
): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  let frozen = false;
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.push(client, upstream);
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => frozen || client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `mongodb://127.0.0.1:${port}/`,
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('mongoClientOptions', () => {
  it('bounds every operation: a server that stops answering fails the operation as retryable instead of hanging', async () => {
    const proxy = await freezableProxy(new URL(inject('mongoServerUrl')));
    closers.push(() => proxy.close());
    const client = new MongoClient(
      proxy.url,
      mongoClientOptions(proxy.url, { appName: 'rh-test', operationTimeoutMs: 1_000 }),
    );
    closers.push(() => client.close());
    const titles = client.db(`rh_bounded_${process.pid}`).collection('titles');
    await titles.insertOne({ _id: 'before' as never });
    proxy.freeze();
    const error = await titles.findOne({}).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeDefined();
    const classified = classifyError(error, { operation: 'titles.findOne' });
    expect(classified.retryable).toBe(true);
    expect(classified.context).toMatchObject({ operation: 'titles.findOne' });
  });

  it('lets options written in the URL win over its defaults', () => {
    const options = mongoClientOptions('mongodb://h:1/?socketTimeoutMS=5', { appName: 'x' });
    expect(options).not.toHaveProperty('socketTimeoutMS');
    expect(options).toMatchObject({
      serverSelectionTimeoutMS: 15_000,
      heartbeatFrequencyMS: 2_000,
    });
  });
});
