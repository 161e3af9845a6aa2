import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A service stand-in (test/support/fake-*.ts) in a child process of its own, so that it does not
 * take CPU from the process being measured (the real service runs elsewhere too), called over IPC:
 * { id, method, args } → { id, result } | { id, error } (bench/fake-*-process.ts).
 */
export class StandIn {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(`${this.name}: ${m.error}`));
      else w?.resolve(m.result);
    });
  }

  /** Forks `bench/<script>` (TypeScript, through tsx); call its `start` yourself. */
  static fork(script: string, name: string): StandIn {
    return new StandIn(fork(fileURLToPath(new URL(script, import.meta.url)), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_STANDIN_NODE_FLAGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), name);
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, method, args });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call('stop').catch(() => this.child.kill());
    await exited;
  }
}
