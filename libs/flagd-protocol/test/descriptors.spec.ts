import { join, resolve } from 'node:path';
import { toJson } from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema,
  ServiceDescriptorProtoSchema,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { describeConformance } from '../../../test/support/conformance';
import { compileProtos } from './buf';

const OWN = resolve(__dirname, '../proto');
const FILES = [
  'flagd/evaluation/v1/evaluation.proto',
  'flagd/evaluation/v2/evaluation.proto',
  'flagd/sync/v1/sync.proto',
];

/** Each message and service of a file as JSON: names, numbers, types, labels, oneofs, options, reserved. */
function shapes(file: FileDescriptorProto): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const message of file.messageType)
    out[`message ${message.name}`] = toJson(DescriptorProtoSchema, message);
  for (const service of file.service)
    out[`service ${service.name}`] = toJson(ServiceDescriptorProtoSchema, service);
  return out;
}

function byName(dir: string): Map<string, FileDescriptorProto> {
  return new Map(compileProtos(dir).file.map((file) => [file.name, file]));
}

describe("the project's flagd .proto files", () => {
  it('compile, with the packages and services the providers call', () => {
    const own = byName(OWN);
    expect(FILES.every((name) => own.has(name))).toBe(true);
    expect(own.get(FILES[1])?.package).toBe('flagd.evaluation.v2');
    expect(own.get(FILES[2])?.service.map((service) => service.name)).toEqual(['FlagSyncService']);
  });
});

describeConformance(['flagd-protocol'], 'flagd .proto files against the published protocol', (dir) => {
  const own = byName(OWN);
  const published = byName(join(dir));

  it.each(FILES)('%s has identical message and service descriptors', (name) => {
    const mine = own.get(name);
    const theirs = published.get(name);
    expect(mine).toBeDefined();
    expect(theirs).toBeDefined();
    expect(shapes(mine as FileDescriptorProto)).toEqual(shapes(theirs as FileDescriptorProto));
    expect(mine?.package).toBe(theirs?.package);
    expect(mine?.dependency).toEqual(theirs?.dependency);
  });
});
