import { appconfigTimestamp } from './timestamp';

describe('appconfig_timestamp', () => {
  it('reads W3C timestamps from context strings', () => {
    expect(appconfigTimestamp(['2012-03-04T05:06:07-08:00'])).toBe(Date.UTC(2012, 2, 4, 13, 6, 7));
    expect(appconfigTimestamp(['2024-01'])).toBe(Date.UTC(2024, 0, 1));
    expect(appconfigTimestamp(['2024-02-30'])).toBeNull();
    expect(appconfigTimestamp(['yesterday'])).toBeNull();
    expect(appconfigTimestamp([1700000000])).toBeNull();
  });
});
