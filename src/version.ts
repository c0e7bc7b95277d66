import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./paths.ts";

export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** The newest Omni release whose rules omni-doctor knows; the default for --omni-version. */
export const NEWEST_KNOWN_OMNI = "1.10.4";
