import { StreamSlots } from './stream-slots';

describe('StreamSlots', () => {
  it('gives out `limit` slots, refuses the next, and takes one again once a slot is released', () => {
    const slots = new StreamSlots(2);
    const first = slots.take();
    const second = slots.take();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(slots.take()).toBeNull();
    expect(slots.open).toBe(2);
    first?.();
    expect(slots.open).toBe(1);
    expect(slots.take()).not.toBeNull();
    expect(slots.open).toBe(2);
  });

  it('counts a slot released twice (abort and end of the same stream) once', () => {
    const slots = new StreamSlots(1);
    const release = slots.take();
    release?.();
    release?.();
    expect(slots.open).toBe(0);
    expect(slots.take()).not.toBeNull();
    expect(slots.take()).toBeNull();
  });
});
