/**
 * Puts fake `omnictl` and `talosctl` executables on a PATH of their own, answering from a lab,
 * logging every call. Tests run the real CLI with that PATH (plus the real kubectl when wanted).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Lab } from "./lab/model.ts";

const FAKE_BIN = fileURLToPath(new URL("./fake-bin.ts", import.meta.url));

export interface FakeTools {
  dir: string;
  binDir: string;
  labFile: string;
  logFile: string;
  /** Environment for a CLI run: PATH with only the fakes (add more dirs with pathWith). */
  env: Record<string, string>;
  calls(): Array<{ tool: string; argv: string[]; at: number; browser?: string }>;
  setLab(lab: Lab): void;
}

export function installFakeTools(lab: Lab, options: { tools?: Array<"omnictl" | "talosctl">; latencyMs?: number } = {}): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-fakes-"));
  const binDir = join(dir, "bin");
  const labFile = join(dir, "lab.json");
  const logFile = join(dir, "calls.jsonl");
  writeFileSync(labFile, JSON.stringify(lab));
  writeFileSync(logFile, "");
  mkdirSync(binDir);
  for (const tool of options.tools ?? ["omnictl", "talosctl"]) {
    const path = join(binDir, tool);
    writeFileSync(path, `#!${process.execPath}\nimport(${JSON.stringify(FAKE_BIN)}).then((m) => m.main(${JSON.stringify(tool)}));\n`);
    chmodSync(path, 0o755);
  }
  return {
    dir,
    binDir,
    labFile,
    logFile,
    env: { PATH: binDir, FAKE_LAB: labFile, FAKE_LOG: logFile, FAKE_LATENCY_MS: String(options.latencyMs ?? 0) },
    calls: () =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { tool: string; argv: string[]; at: number; browser?: string }),
    setLab: (next) => writeFileSync(labFile, JSON.stringify(next)),
  };
}
