// A render worker stand-in for the pool tests: marks itself started, then blocks its thread until
// the test releases it (Atomics on a shared buffer: an event, not a clock), then answers.
export default function render(task) {
  if (task.ping) return null;
  const flags = new Int32Array(task.gate);
  Atomics.add(flags, 0, 1); // started
  Atomics.notify(flags, 0);
  if (task.forever) Atomics.wait(flags, 1, 0); // never released: the pool's time limit must end it
  else Atomics.wait(flags, 1, 0);
  return { ok: true, language: 'en', subject: 'S', html: '<p>H</p>', text: 'H' };
}
