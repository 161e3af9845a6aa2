/** Resolves once `flags[index]` reaches `count`, woken by Atomics.notify: an event, never a clock. */
export async function untilCount(flags: Int32Array, index: number, count: number): Promise<void> {
  // Atomics.waitAsync is in Node 20 but not in this project's TypeScript lib (ES2022).
  const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string } }).waitAsync;
  for (;;) {
    const now = Atomics.load(flags, index);
    if (now >= count) return;
    await waitAsync(flags, index, now).value;
  }
}
