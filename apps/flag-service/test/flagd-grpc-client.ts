import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const PROTO_DIR = join(__dirname, '../../../libs/flagd-protocol/proto');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** google.protobuf.Value as proto-loader decodes it, to plain JSON. */
interface ProtoValue {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: ProtoStruct;
  listValue?: { values?: ProtoValue[] };
}
export interface ProtoStruct {
  fields?: Record<string, ProtoValue>;
}

export function fromStruct(struct: ProtoStruct | null | undefined): Record<string, Json> | undefined {
  if (struct === null || struct === undefined) return undefined;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(struct.fields ?? {})) out[key] = fromValue(value);
  return out;
}

function fromValue(value: ProtoValue): Json {
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue ?? 0;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'structValue':
      return fromStruct(value.structValue) ?? {};
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromValue);
    default:
      return null;
  }
}

export function toStruct(object: Record<string, Json>): ProtoStruct {
  const fields: Record<string, ProtoValue> = {};
  for (const [key, value] of Object.entries(object)) fields[key] = toValue(value);
  return { fields };
}

function toValue(value: Json): ProtoValue {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return { structValue: toStruct(value) };
}

type Unary = (
  request: object,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void,
) => void;

/**
 * A plain @grpc/grpc-js client (proto-loader on the project's .proto files): another implementation
 * than the server's, as the flagd providers are.
 */
export class FlagdGrpcClient {
  readonly client: grpc.Client;

  /** A client of one of flagd's services at `address` (host:port), on the shared protocol definitions. */
  static evaluationV1(address: string, channelOptions?: grpc.ChannelOptions): FlagdGrpcClient {
    return new FlagdGrpcClient(
      'flagd/evaluation/v1/evaluation.proto',
      'flagd.evaluation.v1.Service',
      address,
      channelOptions,
    );
  }
  static evaluationV2(address: string, channelOptions?: grpc.ChannelOptions): FlagdGrpcClient {
    return new FlagdGrpcClient(
      'flagd/evaluation/v2/evaluation.proto',
      'flagd.evaluation.v2.Service',
      address,
      channelOptions,
    );
  }
  static sync(address: string, channelOptions?: grpc.ChannelOptions): FlagdGrpcClient {
    return new FlagdGrpcClient(
      'flagd/sync/v1/sync.proto',
      'flagd.sync.v1.FlagSyncService',
      address,
      channelOptions,
    );
  }

  constructor(
    file:
      | 'flagd/evaluation/v1/evaluation.proto'
      | 'flagd/evaluation/v2/evaluation.proto'
      | 'flagd/sync/v1/sync.proto',
    service: string,
    address: string,
    channelOptions: grpc.ChannelOptions = {},
  ) {
    const definition = grpc.loadPackageDefinition(
      loadSync(file, { includeDirs: [PROTO_DIR], longs: String, defaults: false, oneofs: true }),
    );
    const path = service.split('.');
    let ctor: unknown = definition;
    for (const part of path) ctor = (ctor as Record<string, unknown>)[part];
    this.client = new (ctor as typeof grpc.Client)(
      address,
      grpc.credentials.createInsecure(),
      channelOptions,
    );
  }

  call(
    method: string,
    request: object,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
    const fn = (this.client as unknown as Record<string, Unary>)[method];
    return new Promise((resolve, reject) =>
      fn.call(this.client, request, metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  /** The status a call fails with (throws if it succeeds). */
  async status(
    method: string,
    request: object,
    headers: Record<string, string> = {},
  ): Promise<{ code: number; details: string }> {
    try {
      await this.call(method, request, headers);
    } catch (error) {
      const { code, details } = error as grpc.ServiceError;
      return { code, details };
    }
    throw new Error(`${method} succeeded`);
  }

  stream(
    method: string,
    request: object,
    headers: Record<string, string> = {},
  ): grpc.ClientReadableStream<Record<string, unknown>> {
    const metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
    const fn = (
      this.client as unknown as Record<
        string,
        (r: object, m: grpc.Metadata) => grpc.ClientReadableStream<Record<string, unknown>>
      >
    )[method];
    return fn.call(this.client, request, metadata);
  }

  close(): void {
    this.client.close();
  }
}

/** Collects a stream's messages; `next()` waits (bounded) for the next one. */
export class StreamReader<T> {
  private readonly messages: T[] = [];
  private waiter: (() => void) | null = null;
  ended: Error | null | undefined;

  constructor(readonly stream: grpc.ClientReadableStream<T>) {
    stream.on('data', (message: T) => {
      this.messages.push(message);
      this.waiter?.();
    });
    stream.on('error', (error: Error) => {
      this.ended = error;
      this.waiter?.();
    });
    stream.on('end', () => {
      this.ended ??= null;
      this.waiter?.();
    });
  }

  async next(timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.ended !== undefined) throw new Error(`stream ended: ${this.ended?.message ?? 'OK'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no stream message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.messages.shift() as T;
  }

  get pending(): number {
    return this.messages.length;
  }

  /** Resolves once the stream has ended (error or OK), bounded. */
  async end(timeoutMs = 5_000): Promise<Error | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.ended === undefined) {
      if (Date.now() > deadline) throw new Error(`stream did not end within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.ended;
  }
}
