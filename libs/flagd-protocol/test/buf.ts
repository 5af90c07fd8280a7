import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema, type FileDescriptorSet } from '@bufbuild/protobuf/wkt';

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'node_modules/.bin');

/** Runs the project's buf (the @bufbuild/buf package) with protoc-gen-es from node_modules on PATH. */
export function buf(args: readonly string[], cwd: string): Buffer {
  return execFileSync(join(BIN, 'buf'), args, {
    cwd,
    env: { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ''}` },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
}

/** The descriptors of every .proto under `dir`, compiled by buf without source info (comments). */
export function compileProtos(dir: string): FileDescriptorSet {
  return fromBinary(
    FileDescriptorSetSchema,
    buf(['build', dir, '--exclude-source-info', '-o', '-#format=binpb'], dir),
  );
}
