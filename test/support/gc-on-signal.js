// Preloaded (`node --expose-gc -r`) into a built service by memory tests: on SIGUSR2 it runs full garbage
// collections and writes one line `{"memoryAfterGc":{rss,heapUsed,heapTotal,external}}` (bytes) to stderr, so a
// test reads what the process still holds, not garbage waiting for the next major GC.
process.on('SIGUSR2', () => {
  global.gc();
  global.gc();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ memoryAfterGc: { rss, heapUsed, heapTotal, external } })}\n`);
});
