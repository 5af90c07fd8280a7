import { appconfigNot } from './not';

describe('appconfig_not', () => {
  it('reverses true and false and keeps unknown unknown', () => {
    expect([appconfigNot([true]), appconfigNot([false]), appconfigNot([null]), appconfigNot([])]).toEqual([
      false,
      true,
      null,
      null,
    ]);
  });
});
