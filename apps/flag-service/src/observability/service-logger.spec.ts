import { Writable } from 'node:stream';
import { ServiceLogger } from './service-logger';

function capture(): { logger: ServiceLogger; lines: () => string } {
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const logger = new ServiceLogger('debug', destination);
  return { logger, lines: () => (logger.flush(), output) };
}

const ENDPOINT = 'http://AKIDEXAMPLE:endpoint-password-1@127.0.0.1:9/?X-Amz-Security-Token=session-token-2';

describe('ServiceLogger: credentials in URLs (issue 26)', () => {
  it('redacts every URL field, message, format argument and error, of the logger and its children', () => {
    const { logger, lines } = capture();
    logger.pino.debug({ method: 'GET', url: '/x?api_key=query-key-3&flag=a', status: 200 }, 'request');
    logger.warn(`poll failed against ${ENDPOINT}: refused`);
    logger.child('poller').info('endpoint', { endpoint: ENDPOINT });
    logger.error(new Error(`request to ${ENDPOINT} failed`));
    logger.pino.info('target %s', 'https://hooks.example.com/h?token=hook-token-4');
    logger.log(`listening on ${ENDPOINT}`, 'NestApplication');
    logger.error('unhandled error', {
      err: new Error(`GET /y?access_token=access-token-5`),
      url: '/y?sig=sig-6',
    });
    const text = lines();
    for (const secret of [
      'endpoint-password-1',
      'session-token-2',
      'query-key-3',
      'hook-token-4',
      'access-token-5',
      'sig-6',
    ])
      expect(text).not.toContain(secret);
    // What is not a credential stays: the lines still say where.
    expect(text).toContain('"url":"/x?api_key=***&flag=a"');
    expect(text).toContain('http://AKIDEXAMPLE:***@127.0.0.1:9/?X-Amz-Security-Token=***');
    expect(text).toContain('https://hooks.example.com/h?token=***');
    expect(text.trim().split('\n')).toHaveLength(7);
  });

  it('keeps pino’s path redaction of keys in headers and configuration', () => {
    const { logger, lines } = capture();
    logger.info('config', { headers: { authorization: 'Bearer header-key-7' }, redis: { redisUrl: 'x' } });
    expect(lines()).not.toContain('header-key-7');
  });
});
