import net from "node:net";

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;
}

/** Whether an IPv4 address is inside an IPv4 CIDR. IPv6 is never inside an IPv4 range. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bitsText = "32"] = cidr.split("/");
  if (!net.isIPv4(ip) || !net.isIPv4(base)) return false;
  const bits = Number(bitsText);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToInt(ip) & mask) === (ipv4ToInt(base) & mask);
}

export function isPrivateIPv4(ip: string): boolean {
  return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].some((c) => inCidr(ip, c));
}
