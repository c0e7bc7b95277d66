/**
 * talosctl: one `talosctl get <type> -n a,b,c -o json` per resource type for all nodes of a
 * cluster, never one call per node. Both client generations are understood: ≤1.13 prints a bare
 * multierror naming no node (we attribute it to the nodes that printed nothing), ≥1.14 prints
 * `error listing resources on node <n>: <err>`. One unreachable node never hides the others.
 * Other read-only commands (`service`) are batched the same way.
 */
import { z } from "zod";
import type { QueryRunner } from "../query-runner.ts";
import { SourceError } from "../source-error.ts";
import { cosiMetadata, firstErrorLine, looseString, parseStream } from "../exec-output.ts";

export function talosEnvelope<S extends z.ZodType>(spec: S) {
  return z.object({
    node: looseString,
    metadata: cosiMetadata,
    spec,
  });
}
export type TalosResource<T> = { node: string; metadata: z.infer<ReturnType<typeof talosEnvelope>>["metadata"]; spec: T };

export interface TalosTarget {
  /** Node names or addresses as talosctl's -n takes them. Empty: the talosconfig's own nodes. */
  nodes: string[];
  /** Omni's `--cluster` when talosctl goes through an Omni endpoint. */
  cluster?: string;
  /** Which of `nodes` are control planes, when Omni or Kubernetes says so. */
  controlPlanes?: string[];
}

export interface TalosAnswer<T> {
  resources: Array<TalosResource<T>>;
  /** Nodes that did not answer, with why. */
  nodeErrors: Record<string, string>;
}

export interface TalosCommandAnswer {
  /** What the nodes that answered printed (a table with a NODE column). */
  stdout: string;
  nodeErrors: Record<string, string>;
}

export class TalosSource {
  readonly #runner: QueryRunner;

  constructor(runner: QueryRunner) {
    this.#runner = runner;
  }

  async get<S extends z.ZodType>(type: string, target: TalosTarget, spec: S): Promise<TalosAnswer<z.infer<S>>> {
    const answer = await this.#ask(target, ["get", type, "--output", "json"]);
    let resources: Array<TalosResource<z.infer<S>>> = [];
    try {
      resources = parseStream("talos", `talosctl get ${type}`, answer.stdout, talosEnvelope(spec)) as Array<TalosResource<z.infer<S>>>;
    } catch (error) {
      // Garbage on stdout with a failing exit code: the failure explains it better than the parse.
      if (answer.exitCode === 0) throw error;
    }
    const answered = new Set(resources.map((r) => r.node));
    const { errors: nodeErrors, ambiguous } = answer.exitCode === 0 ? { errors: {}, ambiguous: false } : nodeErrorsOf(answer.stderr, target.nodes, answered);
    const failedEverywhere = answer.exitCode !== 0 && (target.nodes.length === 0 ? resources.length === 0 : !ambiguous && target.nodes.every((n) => n in nodeErrors));
    if (failedEverywhere) throw classifyTalosctlError(answer.stderr, answer.exitCode);
    return { resources, nodeErrors };
  }

  /**
   * A read-only command that is not a resource (`service`), for every node of the target at once.
   * ≤1.13 reports failed nodes as a `WARNING:` multierror and exits 0; ≥1.14 prints
   * `error from node <n>: <err>` and exits 1. Either way the other nodes' output is kept.
   */
  async command(args: string[], target: TalosTarget): Promise<TalosCommandAnswer> {
    const answer = await this.#ask(target, args);
    const nodeErrors = nodeErrorsOf(answer.stderr, target.nodes, undefined).errors;
    const failed = Object.keys(nodeErrors);
    if ((answer.exitCode !== 0 && failed.length === 0) || (target.nodes.length > 0 && target.nodes.every((n) => failed.includes(n)))) {
      throw classifyTalosctlError(answer.stderr, answer.exitCode);
    }
    return { stdout: answer.stdout, nodeErrors };
  }

  #ask(target: TalosTarget, command: string[]) {
    const args: string[] = [];
    if (target.cluster) args.push("--cluster", target.cluster);
    if (target.nodes.length > 0) args.push("--nodes", target.nodes.join(","));
    args.push(...command);
    return this.#runner.ask({ kind: "exec", source: "talos", program: "talosctl", args });
  }
}

/** ≥1.14 names the node on every error line (`get` and the other commands word it differently). */
const PER_NODE = /^error (?:(?:listing resources|getting resource) on node|from node) (\S+?): (.*)$/gm;
/** ≤1.13 unary commands: `WARNING: 1 error occurred:` then `\t* <node>: <err>` lines. */
const BULLET = /^\s*\* (\S+?): (.*)$/gm;
/** ≤1.13 `get`: the same multierror, its items naming no node. */
const BULLET_TEXT = /^\s*\* (.*)$/gm;

/**
 * Which nodes failed, and why. `answered` are the nodes that printed resources, for ≤1.13 `get`,
 * whose multierror names no node: an error whose text names a silent node (`dial tcp <ip>:...`)
 * is that node's; the rest go to the nodes that printed nothing. When more nodes printed nothing
 * than errors occurred (a type some nodes simply do not have, like etcd members on workers), which
 * of them failed is unknown: each gets the error with a note saying so, and it is `ambiguous`.
 */
function nodeErrorsOf(stderr: string, nodes: string[], answered: ReadonlySet<string> | undefined): { errors: Record<string, string>; ambiguous: boolean } {
  const errors: Record<string, string> = {};
  for (const match of stderr.matchAll(PER_NODE)) errors[match[1]!] = match[2]!.trim();
  for (const match of stderr.matchAll(BULLET)) if (nodes.includes(match[1]!)) errors[match[1]!] = match[2]!.trim();
  if (Object.keys(errors).length > 0 || nodes.length === 0 || !answered) return { errors, ambiguous: false };
  const bullets = [...stderr.matchAll(BULLET_TEXT)].map((m) => m[1]!.trim());
  const silent = nodes.filter((n) => !answered.has(n));
  const unnamed: string[] = [];
  for (const text of bullets.length > 0 ? bullets : [firstErrorLine(stderr)]) {
    const named = silent.find((n) => new RegExp(`(^|[^\\w.-])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\w.-]|$)`).test(text));
    if (named) errors[named] = text;
    else unnamed.push(text);
  }
  const rest = silent.filter((n) => !(n in errors));
  if (unnamed.length === 0 || rest.length === 0) return { errors, ambiguous: false };
  const ambiguous = unnamed.length < rest.length;
  const note = ambiguous ? ` (talosctl ≤ 1.13 does not say which node: ${unnamed.length} of ${rest.join(", ")})` : "";
  for (const node of rest) errors[node] = `${unnamed[0]}${note}`;
  return { errors, ambiguous };
}

/** Map talosctl's error text (reference/talos.md §4) to a kind and advice. */
export function classifyTalosctlError(stderr: string, exitCode: number): SourceError {
  const line = firstErrorLine(stderr) || `talosctl exited with ${exitCode}`;
  if (/nodes are not set|no such file or directory|failed to open config|error reading config|context .* not defined/i.test(stderr)) {
    return new SourceError("talos", "not-configured", line, "set TALOSCONFIG (from Omni: `omnictl talosconfig`) so talosctl can reach the nodes");
  }
  if (/expired certificate|bad certificate|PermissionDenied|not authorized|certificate signed by unknown authority|certificate has expired/i.test(stderr)) {
    return new SourceError("talos", "auth", line, "the talosconfig's certificate was refused: download a fresh talosconfig (`omnictl talosconfig` or `talosctl config new`)");
  }
  if (/connection refused|no route to host|i\/o timeout|network is unreachable|Unavailable|DeadlineExceeded|deadline exceeded|no such host/i.test(stderr)) {
    return new SourceError("talos", "unreachable", line, "check that the nodes are up and port 50000 is reachable (or the Omni endpoint, with an Omni talosconfig)");
  }
  if (/is not registered/i.test(stderr)) {
    // Nothing to ask: the nodes' Talos release predates the resource (VolumeStatuses < 1.8, Versions < 1.10).
    return new SourceError("talos", "not-installed", line, "the nodes' Talos release does not have this resource yet");
  }
  return new SourceError("talos", "failed", line);
}
