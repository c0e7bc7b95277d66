/** Loopback TCP ports for the port probes: one that accepts connections, one where nothing listens. */
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface Listener {
  port: number;
  close(): Promise<void>;
}

export async function listen(host = "127.0.0.1"): Promise<Listener> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port that was free a moment ago and has nothing listening now: connecting is refused. */
export async function closedPort(host = "127.0.0.1"): Promise<number> {
  const listener = await listen(host);
  await listener.close();
  return listener.port;
}
