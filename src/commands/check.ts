/** `omni-doctor check [DIR]`. */
import { exitCodeFor } from "../engine/exit-code.ts";
import { render } from "../report/report.ts";
import { detectStyle } from "../report/style.ts";
import { VERSION } from "../version.ts";
import { executeRun, prepareRun, type CommonOptions } from "./run.ts";
import { interruptible, startProgress, writeReport } from "./output.ts";

export async function checkCommand(dir: string, options: CommonOptions): Promise<number> {
  const interrupt = interruptible();
  try {
    const prepared = await prepareRun(dir, options, interrupt.signal);
    const progress = await startProgress("checking");
    const outcome = await executeRun(prepared, progress.update).finally(() => prepared.close());
    progress.stop();
    const style = detectStyle(options.output ? { isTTY: false } : process.stdout);
    const text = render(prepared.format, outcome.results, {
      version: VERSION,
      header: prepared.header + (interrupt.signal.aborted ? " · INTERRUPTED (partial report)" : ""),
      verbose: Boolean(options.verbose),
      elapsedMs: outcome.elapsedMs,
      style,
      rules: prepared.rules,
      failOn: prepared.failOn,
    });
    writeReport(text, options.output);
    // Machine-readable formats keep stdout pure; -v still gets the timing, on stderr.
    if (options.verbose && prepared.format !== "human") {
      const { criticalPathMs } = prepared.ctx.runner.trace();
      process.stderr.write(`omni-doctor: ${outcome.results.length} results in ${Math.round(outcome.elapsedMs)} ms, ${prepared.ctx.runner.calls.length} external calls, critical path ${criticalPathMs} ms\n`);
    }
    // An interrupted run is incomplete whatever it found: 130, like a shell's Ctrl-C.
    return interrupt.signal.aborted ? 130 : exitCodeFor(outcome.results, prepared.failOn);
  } finally {
    interrupt.dispose();
  }
}
