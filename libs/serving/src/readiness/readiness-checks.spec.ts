import { ReadinessChecks } from './readiness-checks';

describe('ReadinessChecks', () => {
  it('waits for what every check added still waits for, in the order they were added, read live', () => {
    const checks = new ReadinessChecks();
    let bound = false;
    checks.add({ waitingFor: () => ['app/env/flags'] });
    checks.add({ waitingFor: () => (bound ? [] : ['flagd listeners']) });
    expect(checks.waitingFor()).toEqual(['app/env/flags', 'flagd listeners']);
    bound = true;
    expect(checks.waitingFor()).toEqual(['app/env/flags']);
  });

  it('is ready with no checks at all', () => {
    expect(new ReadinessChecks().waitingFor()).toEqual([]);
  });
});
