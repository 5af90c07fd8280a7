import { releaseOnAbort } from './release-on-abort';

describe('releaseOnAbort', () => {
  it('releases once, on abort or when called, whichever comes first', () => {
    let releases = 0;
    const aborted = new AbortController();
    const release = releaseOnAbort(aborted.signal, () => releases++);
    aborted.abort();
    release();
    expect(releases).toBe(1);

    const ended = new AbortController();
    releaseOnAbort(ended.signal, () => releases++)();
    ended.abort();
    expect(releases).toBe(2);
  });

  it('releases at once on a signal that already aborted', () => {
    let releases = 0;
    releaseOnAbort(AbortSignal.abort(), () => releases++);
    expect(releases).toBe(1);
  });
});
