/**
 * Which Kubernetes minors a Talos minor supports (reference/talos.md §6, from Talos machinery's
 * compatibility/talosXY, verified for Talos 1.7–1.15): Talos 1.N runs Kubernetes 1.(N+18) up to
 * 1.(N+23), any patch. Omni enforces it on sync (`invalid kubernetes version %q: is not compatible
 * with talos version %q`); template validation does not look.
 */
export function kubernetesMinorsFor(talosMinor: number): { min: number; max: number } {
  return { min: talosMinor + 18, max: talosMinor + 23 };
}
