/**
 * `work`'s result and how many event-loop turns other work got while it ran (a chain of setImmediate callbacks):
 * 0 when it held the loop from start to end.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let counting = true;
  const count = (): void => {
    if (!counting) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  try {
    const value = await work();
    return { value, turns };
  } finally {
    counting = false;
  }
}
