/** Where reports go: --output FILE or stdout, nothing else on stdout. Progress goes to stderr, on a TTY only. */
import { writeFileSync } from "node:fs";
import { UsageError } from "./usage-error.ts";

export function writeReport(text: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new UsageError(`--output ${output}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** The spinner library is loaded only when a spinner is shown: machine formats and CI never pay for it. */
export async function startProgress(label: string): Promise<Progress> {
  if (!process.stderr.isTTY || process.env.CI) return { update() {}, stop() {} };
  const { default: ora } = await import("ora");
  const spinner = ora({ text: label, stream: process.stderr }).start();
  return {
    update(done, total) {
      spinner.text = `${label} ${done}/${total}`;
    },
    stop() {
      spinner.stop();
    },
  };
}

/** Ctrl-C once: stop asking, report what we have. Twice: leave now. */
export function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count === 1) {
      process.stderr.write("\nomni-doctor: interrupted; stopping external calls and reporting what is known (Ctrl-C again to quit now)\n");
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onSigint);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}
