import { X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { TlsCertificateInvalidError } from '../errors';
import type { TlsFiles } from '../config/service-config';

/** A certificate chain and its private key, as PEM: what every TLS port serves. */
export interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** What a log line may say of a certificate (never anything of its key). */
export interface CertificateSummary {
  readonly subject: string;
  readonly validTo: string;
  readonly fingerprint256: string;
}

/**
 * Reads the pair and checks it as TLS would use it: both files readable, PEM that parses, the key matching the
 * certificate (createSecureContext throws otherwise), so a bad pair is refused here, not at a client's handshake.
 */
export function readCertificate(files: TlsFiles): CertificatePair {
  const refuse = (error: unknown): TlsCertificateInvalidError =>
    new TlsCertificateInvalidError(
      files.certFile,
      files.keyFile,
      error instanceof Error ? error.message : String(error),
    );
  let pair: CertificatePair;
  try {
    pair = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  } catch (error) {
    throw refuse(error);
  }
  try {
    createSecureContext(pair);
    return pair;
  } catch (error) {
    throw refuse(error);
  }
}

export function summarise(pair: CertificatePair): CertificateSummary {
  const certificate = new X509Certificate(pair.cert);
  return {
    subject: certificate.subject,
    validTo: certificate.validTo,
    fingerprint256: certificate.fingerprint256,
  };
}

// How often the files' stat is read: a renewed certificate is served within this (cheap: two stat calls).
const WATCH_INTERVAL_MS = 2_000;

/**
 * Calls `changed` when either file changes (its modification time, size or inode). watchFile polls the path, so
 * it also sees the symlink swap by which Kubernetes updates a mounted secret, which fs.watch on the old file
 * would miss. Returns the stop function.
 */
export function watchCertificate(files: TlsFiles, changed: () => void): () => void {
  const listener = (current: Stats, previous: Stats): void => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.size !== previous.size ||
      current.ino !== previous.ino
    )
      changed();
  };
  for (const file of [files.certFile, files.keyFile])
    watchFile(file, { interval: WATCH_INTERVAL_MS, persistent: false }, listener);
  return () => {
    for (const file of [files.certFile, files.keyFile]) unwatchFile(file, listener);
  };
}
