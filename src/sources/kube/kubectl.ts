/**
 * kubectl: `kubectl get <resource> --all-namespaces -o json`, once per kind for the whole run,
 * with the user's KUBECONFIG and context. A kind whose CRD is absent is "not installed", not an error.
 * The context is the user's `--context`, else a preferred one (Omni's `omni-<cluster>` for
 * `--cluster`) when the kubeconfig has it, else kubectl's current context.
 */
import { z } from "zod";
import type { QueryRunner } from "../query-runner.ts";
import { SourceError } from "../source-error.ts";
import { firstErrorLine, parseValue } from "../exec-output.ts";

export interface KubeList<T> {
  /** False when the cluster does not know the kind at all (e.g. Flux is not installed). */
  installed: boolean;
  items: T[];
}

export interface ListOptions {
  /** False for cluster-scoped kinds (nodes, namespaces, storage classes). */
  namespaced?: boolean;
  /** A server-side field selector (`metadata.name=cilium-config`), so a list stays small. */
  fieldSelector?: string;
}

/** The kube context Omni's `omnictl kubeconfig -c <cluster>` writes. */
export function omniKubeContext(cluster: string): string {
  return `omni-${cluster}`;
}

export class KubeSource {
  readonly #runner: QueryRunner;
  readonly #context: string | undefined;
  #preferred: string | undefined;

  constructor(runner: QueryRunner, context: string | undefined) {
    this.#runner = runner;
    this.#context = context;
  }

  /** Use this context when the kubeconfig has it and the user named none; otherwise kubectl's current context. */
  preferContext(name: string): void {
    this.#preferred = name;
  }

  #kubectl(args: string[]) {
    return this.#runner.ask({ kind: "exec", source: "kube", program: "kubectl", args });
  }

  /** The `--context` to pass, if any. The context list comes from kubectl, so KUBECONFIG with several files is honoured. */
  async #contextArg(): Promise<string | undefined> {
    if (this.#context || !this.#preferred) return this.#context;
    // `-o name` prints context names only: nothing of the credentials reaches a recording.
    const answer = await this.#kubectl(["config", "get-contexts", "--output", "name"]);
    if (answer.exitCode !== 0) throw classifyKubectlError(answer.stderr, answer.exitCode);
    return answer.stdout.split("\n").some((name) => name.trim() === this.#preferred) ? this.#preferred : undefined;
  }

  /** The name of the context kubectl talks to; undefined when the kubeconfig sets none. */
  async contextName(): Promise<string | undefined> {
    const chosen = await this.#contextArg();
    if (chosen) return chosen;
    const answer = await this.#kubectl(["config", "current-context"]);
    if (answer.exitCode === 0) return answer.stdout.trim() || undefined;
    if (/current-context is not set/i.test(answer.stderr)) return undefined;
    throw classifyKubectlError(answer.stderr, answer.exitCode);
  }

  async list<S extends z.ZodType>(resource: string, item: S, options: ListOptions = {}): Promise<KubeList<z.infer<S>>> {
    const args = ["get", resource];
    if (options.namespaced !== false) args.push("--all-namespaces");
    if (options.fieldSelector) args.push("--field-selector", options.fieldSelector);
    // No --request-timeout: the runner's timeout kills kubectl, and the key stays the same whatever --timeout is.
    args.push("--output", "json");
    const context = await this.#contextArg();
    if (context) args.push("--context", context);
    const answer = await this.#kubectl(args);
    if (answer.exitCode !== 0) {
      if (/the server doesn't have a resource type/i.test(answer.stderr)) return { installed: false, items: [] };
      throw classifyKubectlError(answer.stderr, answer.exitCode);
    }
    let json: unknown;
    try {
      json = JSON.parse(answer.stdout);
    } catch (error) {
      throw new SourceError("kube", "unexpected-output", `kubectl get ${resource}: not JSON (${(error as Error).message})`);
    }
    const list = parseValue("kube", `kubectl get ${resource}`, json, z.object({ items: z.array(item).nullish() }));
    return { installed: true, items: list.items ?? [] };
  }
}

export function classifyKubectlError(stderr: string, exitCode: number): SourceError {
  const line = firstErrorLine(stderr) || `kubectl exited with ${exitCode}`;
  if (/localhost:8080/.test(stderr) && /refused/.test(stderr)) {
    return new SourceError("kube", "not-configured", "no kubeconfig: kubectl fell back to localhost:8080", "point KUBECONFIG at the cluster (from Omni: `omnictl kubeconfig -c <cluster>`) or pass --context");
  }
  if (/no configuration has been provided|context was not found|current-context is not set/i.test(stderr)) {
    return new SourceError("kube", "not-configured", line, "point KUBECONFIG at the cluster (from Omni: `omnictl kubeconfig -c <cluster>`) or pass --context");
  }
  if (/Unauthorized|must be logged in|Forbidden|forbidden|token has expired|oidc|exec plugin/i.test(stderr)) {
    return new SourceError("kube", "auth", line, "kubectl's credentials were refused: refresh the kubeconfig (with Omni: `omnictl kubeconfig -c <cluster> --force`)");
  }
  if (/Unable to connect|connection refused|no such host|i\/o timeout|Client.Timeout|deadline exceeded|timed out|no route to host/i.test(stderr)) {
    return new SourceError("kube", "unreachable", line, "check that the API server in the kubeconfig is reachable");
  }
  return new SourceError("kube", "failed", line);
}
