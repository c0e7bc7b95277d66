#!/usr/bin/env node
/**
 * omni-doctor's command line. Commands are imported only when used, so `--version` and `--help`
 * stay fast. Every failure to start a run is one line on stderr and exit code 2.
 */
import { enableCompileCache } from "node:module";
import { setFlagsFromString } from "node:v8";
import { Command, CommanderError, Option } from "commander";
import { VERSION } from "./version.ts";
import { UsageError } from "./commands/usage-error.ts";

function commonOptions(command: Command): Command {
  return command
    .option("--offline", "file checks only: start no program, open no socket")
    .option("--only <list>", "only these check ids, domains or globs (comma-separated)")
    .option("--skip <list>", "skip these check ids, domains or globs (comma-separated)")
    .option("--cluster <name>", "limit live checks to one Omni cluster")
    .option("--context <name>", "kubeconfig context for kube checks (default: omni-<cluster> with --cluster when it exists, else the current one)")
    .option("--format <format>", "report format: human, json, sarif, junit, github, markdown", "human")
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--fail-on <level>", "exit 1 at or above: error, warning, never", "error")
    .option("--timeout <seconds>", "limit for each external call", "20")
    .option("--concurrency <n>", "external calls in flight at once", "8")
    .option("--record <dir>", "save every external answer (secrets redacted) for replay")
    .option("--replay <dir>", "answer every external query from a recording")
    .option("--config <file>", "settings and suppressions (default: omni-doctor.yaml in DIR)")
    .option("--omni-version <version>", "Omni release the rules assume (default: detected from Omni, else the newest known)")
    .option("-v, --verbose", "show passes one by one, all evidence and timings")
    .addOption(new Option("--proxmox-url <url>", "Proxmox API URL (https://host:8006/api2/json)"))
    .addOption(new Option("--proxmox-token-id <id>", "Proxmox API token id USER@REALM!TOKENID"))
    .addOption(new Option("--proxmox-token-secret <uuid>", "Proxmox API token secret (prefer PROXMOX_TOKEN_SECRET)"))
    .addOption(new Option("--proxmox-username <user>", "Proxmox user for password login"))
    .addOption(new Option("--proxmox-password <password>", "Proxmox password (prefer PROXMOX_PASSWORD)"))
    .addOption(new Option("--proxmox-realm <realm>", "Proxmox realm for password login (pam, pve)"))
    .addOption(new Option("--proxmox-ca <file>", "PEM file to trust for the Proxmox certificate"))
    .addOption(new Option("--proxmox-fingerprint <sha256>", "SHA-256 fingerprint of the Proxmox certificate to pin"))
    .addOption(new Option("--proxmox-insecure", "do not verify the Proxmox certificate (reported)"));
}

export function buildProgram(): Command {
  const program = new Command("omni-doctor")
    .description("Diagnose Omni + Proxmox + Talos homelabs: read the kit, ask the live systems, name what is wrong and the exact fix.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`omni-doctor: ${text.replace(/^error: /, "").trim()}\n`) });

  commonOptions(program.command("check").argument("[dir]", "the deployment kit", ".").description("run every applicable check")).action(async (dir: string, options) => {
    const { checkCommand } = await import("./commands/check.ts");
    process.exitCode = await checkCommand(dir, options);
  });

  commonOptions(program.command("fix").argument("[dir]", "the deployment kit", ".").description("plan and apply the fixes of failing checks"))
    .option("--dry-run", "print the plan, change nothing")
    .option("--yes", "no prompts for non-destructive steps")
    .option("--allow-destructive", "permit steps marked destructive")
    .action(async (dir: string, options) => {
      const { fixCommand } = await import("./commands/fix.ts");
      process.exitCode = await fixCommand(dir, options);
    });

  program
    .command("why")
    .argument("[text...]", "an error message or log excerpt")
    .option("--file <file>", "read the text from a file")
    .option("--format <format>", "human or json", "human")
    .description("match an error message or log to runbook entries")
    .action(async (text: string[], options) => {
      const { whyCommand } = await import("./commands/why.ts");
      process.exitCode = await whyCommand(text, options);
    });

  program
    .command("explain")
    .argument("<id>", "check id, e.g. template/nested-sections")
    .description("print one check's runbook page: symptom, cause, detection, fix")
    .action(async (id: string) => {
      const { explainCommand } = await import("./commands/explain.ts");
      process.exitCode = await explainCommand(id);
    });

  program
    .command("list")
    .option("--format <format>", "human or json", "human")
    .description("list the checks: id, domain, severity, sources, title")
    .action(async (options) => {
      const { listCommand } = await import("./commands/list.ts");
      process.exitCode = await listCommand(options);
    });
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed in one line.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
    } else if (error instanceof UsageError) {
      process.stderr.write(`omni-doctor: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      const { redact } = await import("./sources/redact.ts");
      process.stderr.write(`omni-doctor: internal error: ${redact((error as Error)?.message ?? String(error))} (please report this bug; set OMNI_DOCTOR_DEBUG=1 for details)\n`);
      if (process.env.OMNI_DOCTOR_DEBUG) process.stderr.write(`${redact((error as Error)?.stack ?? "")}\n`);
      process.exitCode = 2;
    }
  }
}

// Compiled code is cached on disk (NODE_COMPILE_CACHE, default under the temp dir; disable with
// NODE_DISABLE_COMPILE_CACHE=1): the commands and checks imported below then start about twice as fast.
enableCompileCache();
// A run keeps little (facts, results) but allocates in bursts as answers are parsed; V8 would grow
// its young generation to over 100 MB for that. Keeping it at its initial size costs a few more
// small collections and saves about 45 MB of peak memory on a fleet-sized run (npm run bench).
setFlagsFromString("--semi-space-growth-factor=1");
await main(process.argv);
// Leave as soon as the work is done: libraries may still hold timers (proxmox-api keeps its
// request timer after a failed call). stdout is flushed first so no report is cut short.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit();
