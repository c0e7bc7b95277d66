/** `omni-doctor fix [DIR] --dry-run`: the plan of fixes for what the checks found. */
import { executeRun, prepareRun, type CommonOptions } from "./run.ts";
import { interruptible, startProgress, writeReport } from "./output.ts";
import { buildPlan, renderPlan } from "../fix/plan.ts";
import { detectStyle } from "../report/style.ts";
import { redact } from "../sources/redact.ts";
import { UsageError } from "./usage-error.ts";

export interface FixOptions extends CommonOptions {
  dryRun?: boolean;
  yes?: boolean;
  allowDestructive?: boolean;
}

export async function fixCommand(dir: string, options: FixOptions): Promise<number> {
  if (!options.dryRun) throw new UsageError("applying fixes is not available in this version yet: run `omni-doctor fix --dry-run` for the plan");
  const interrupt = interruptible();
  try {
    const prepared = await prepareRun(dir, options, interrupt.signal);
    const progress = startProgress("checking");
    const outcome = await executeRun(prepared, progress.update);
    progress.stop();
    const plan = buildPlan(outcome.results);
    const style = detectStyle(options.output ? { isTTY: false } : process.stdout);
    writeReport(redact(renderPlan(plan, prepared.format, style)), options.output);
    return 0;
  } finally {
    interrupt.dispose();
  }
}
