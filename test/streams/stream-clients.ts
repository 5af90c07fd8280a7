/**
 * A process of real stream clients for stream-memory.e2e-spec.ts, each stream on its own connection as separate
 * providers' are: `event` EventStreams through connect-node's gRPC transport, `sync` SyncFlags through grpc-js,
 * `sse` GET /events/stream through fetch (undici). Tells its parent `{open, failed}` once every stream has its
 * first message, then holds them until it is killed (the clients vanish).
 *
 *     node --import tsx stream-clients.ts <event|sync|sse> <count> <address>
 */
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { Service as EvaluationV2 } from '../../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { FlagdGrpcClient, StreamReader } from '../../apps/flag-service/test/flagd-grpc-client';

const [kind, count, address] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const held: unknown[] = [];

function openOne(): Promise<unknown> {
  switch (kind) {
    case 'event': {
      const client = createClient(EvaluationV2, createGrpcTransport({ baseUrl: `http://${address}` }));
      const events = client.eventStream({})[Symbol.asyncIterator]();
      held.push(events);
      return events.next();
    }
    case 'sync': {
      // A subchannel pool of its own: grpc-js would otherwise share one connection among clients of a target.
      const client = FlagdGrpcClient.sync(address, {
        'grpc.use_local_subchannel_pool': 1,
      });
      const reader = new StreamReader(client.stream('SyncFlags', {}));
      held.push(client, reader);
      return reader.next(60_000);
    }
    case 'sse':
      return fetch(`http://${address}/events/stream`).then((response) => {
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        const body = response.body?.getReader();
        held.push(body);
        return body?.read();
      });
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

async function main(): Promise<void> {
  let failed = 0;
  // In batches: a connection storm of thousands at once would measure the accept queue, not the streams.
  for (let opened = 0; opened < count; opened += 100) {
    const batch = Array.from({ length: Math.min(100, count - opened) }, () =>
      openOne().catch(() => failed++),
    );
    await Promise.all(batch);
  }
  process.send?.({ open: count - failed, failed });
}

void main();
