/**
 * Long work written as a generator that yields between pieces (reading a document, validating and compiling its
 * flags, diffing two documents), run either at once or in slices that let the event loop through.
 */
export type Steps<T> = Generator<void, T>;

/** Runs steps to the end at once. */
export function drainSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs steps, yielding to the event loop (setImmediate) whenever `sliceMs` of work has run since the last yield. */
export async function runInSlices<T>(steps: Steps<T>, sliceMs = 5): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
