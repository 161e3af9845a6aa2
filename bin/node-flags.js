// The V8 flags of the store's long-running processes (`tradepane serve`, `tradepane worker`), in one
// place: bin/tradepane.js starts those commands with them, and the mail-sync bench's worker
// (bench/mailsync-worker.mjs) is forked with them, so the bench measures the process production runs.
// Plain JavaScript, like the launcher.

/**
 * Measured on the mail-sync bench's worker (docs/performance.md, "Mailbox sync"), 50,000 Graph
 * messages, three workers side by side: no flags 249 → 471 MB, with 25 % growth 180 → 237 MB, CPU
 * per 1,000 messages 1.39 s both; then 25 % against 15 %, two at once: 226 and 220 MB, 1.69 s both:
 *
 * - `--max-semi-space-size=4` (MB): Node 24 sizes V8's young generation from the machine's
 *   memory, up to two 64 MB semi-spaces; a server process touches all 128 MB after its first
 *   scavenges and keeps them. That was half of what a `serve` process held before it read any
 *   mail (245 MB). A request's or a synced page's objects live milliseconds; 4 MB holds them as
 *   well, and the process starts ~65 MB smaller.
 * - `--heap-growing-percent=15`: after a full collection V8 lets the old generation grow to up to
 *   4× what survived before it collects again. A backfill promotes each page's objects (a page
 *   lives longer than two scavenges) and they die a page later, so the heap swelled towards that
 *   4× (244 → 468 MB over 50,000 messages) with the live set flat at ~70 MB; 1.15× bounds it
 *   (1.5× with 8 MB semi-spaces peaked at 248–274 MB over 50,000: not enough; 1.25× left 5 MB of
 *   the 250 MB alone, 1.15× gives 6 MB more at the same CPU).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=15'];

/** The commands that run for hours, whose memory the flags are for. */
const LONG_RUNNING = new Set(['serve', 'worker']);

/**
 * The argv to run this process again with SERVER_NODE_FLAGS, or null: when the command is not a
 * long-running one, or the flags (or an operator's own choice of the same settings, on the command
 * line or in NODE_OPTIONS) are already there.
 */
export function relaunchArgv(argv = process.argv, execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  if (!command || !LONG_RUNNING.has(command)) return null;
  // V8 spells its flags with - or _ alike.
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((g) => g.replaceAll('_', '-'));
  const missing = SERVER_NODE_FLAGS.filter((flag) => {
    const name = flag.split('=')[0];
    return !given.some((g) => g === name || g.startsWith(`${name}=`));
  });
  if (missing.length === 0) return null;
  return [argv[0], ...missing, ...execArgv, ...argv.slice(1)];
}
