import type { Server as TlsServer } from 'node:tls';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Logger } from '@flagfleet/core';
import { FlagdServers } from '@flagfleet/flagd-protocol';
import { ServiceConfig } from '../config';
import { readCertificate, summarise, watchCertificate } from './serving-certificate';

/**
 * Serves a renewed certificate without a restart (cert-manager, a mounted secret): when TLS_CERT_FILE or
 * TLS_KEY_FILE changes, the pair is read and checked again and handed to the HTTP port and both flagd ports;
 * connections open keep the certificate they began with, new ones get the new one. A pair that does not check
 * (a half-written renewal, a key of another certificate) is logged and the one in use keeps serving.
 */
@Injectable()
export class CertificateReload implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private stop: (() => void) | undefined;

  constructor(
    private readonly config: ServiceConfig,
    private readonly adapter: HttpAdapterHost,
    private readonly flagd: FlagdServers,
    logger: Logger,
  ) {
    this.logger = logger.child('tls');
  }

  onApplicationBootstrap(): void {
    const files = this.config.http.tls;
    if (files === null) return;
    this.stop = watchCertificate(files, () => this.reload());
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  private reload(): void {
    const files = this.config.http.tls;
    if (files === null) return;
    let pair;
    try {
      pair = readCertificate(files);
    } catch (error) {
      this.logger.warn('TLS certificate not reloaded: the one in use keeps serving', {
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    (this.adapter.httpAdapter.getHttpServer() as TlsServer).setSecureContext(pair);
    this.flagd.setSecureContext(pair);
    this.logger.info('TLS certificate reloaded', { ...summarise(pair) });
  }
}
