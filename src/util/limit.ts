/** A counting semaphore: at most `size` tasks run at once, the rest wait in FIFO order. */
export class Limiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly size: number;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`concurrency must be a positive integer, got ${size}`);
    this.size = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
