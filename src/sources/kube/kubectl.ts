/**
 * kubectl: `kubectl get <resource> --all-namespaces -o json`, once per kind for the whole run,
 * with the user's KUBECONFIG and context. A kind whose CRD is absent is "not installed", not an error.
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

export class KubeSource {
  readonly #runner: QueryRunner;
  readonly #context: string | undefined;

  constructor(runner: QueryRunner, context: string | undefined) {
    this.#runner = runner;
    this.#context = context;
  }

  async list<S extends z.ZodType>(resource: string, item: S, options: { namespaced?: boolean } = {}): Promise<KubeList<z.infer<S>>> {
    const args = ["get", resource];
    if (options.namespaced !== false) args.push("--all-namespaces");
    // No --request-timeout: the runner's timeout kills kubectl, and the key stays the same whatever --timeout is.
    args.push("--output", "json");
    if (this.#context) args.push("--context", this.#context);
    const answer = await this.#runner.ask({ kind: "exec", source: "kube", program: "kubectl", args });
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
