import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The package root (where package.json is), whether we run from src/ or from dist/src/. */
export const PACKAGE_ROOT = (() => {
  let dir = HERE;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("omni-doctor: cannot find its package.json");
    dir = parent;
  }
  return dir;
})();

/** Check modules sit beside src/: checks/ when run from source, dist/checks/ when compiled. */
export const CHECK_MODULES_DIR = join(HERE, "..", "checks");

/** Runbook pages are always read from the source checks/ folder (shipped with the package). */
export const RUNBOOK_DIR = join(PACKAGE_ROOT, "checks");
