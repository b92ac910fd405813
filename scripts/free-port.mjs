// A port on this machine that nobody listens on (127.0.0.1): `preferred` when it is free, else
// one the system picks. Used where a local server needs its address before it starts (the
// provider's issuer URL holds its port).
import net from "node:net";

function listenOnce(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(null));
    probe.listen(port, "127.0.0.1", () => {
      const { port: chosen } = probe.address();
      probe.close(() => resolve(chosen));
    });
  });
}

/** @param {number} [preferred] @returns {Promise<number>} */
export async function freePort(preferred) {
  if (preferred) {
    const port = await listenOnce(preferred);
    if (port) return port;
  }
  const port = await listenOnce(0);
  if (!port) throw new Error("no free port on 127.0.0.1");
  return port;
}
