/**
 * YAML text as Go's yaml encoder writes it (4-space indentation, map keys sorted as Go sorts a
 * map[string]any), for the places where Omni or Talos re-encode a value and then quote it or
 * count its lines.
 */
import YAML from "yaml";

export function goYamlMarshal(value: unknown, options: { sortKeys?: boolean } = {}): string {
  return YAML.stringify(value, { indent: 4, indentSeq: true, lineWidth: 0, minContentWidth: 0, sortMapEntries: options.sortKeys ?? true });
}
