/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL or MariaDB, through which
 * the SQL loaders' connection is registered. Armed, it cuts the next
 * connection opened after the n-th message the client sends on it: the
 * loader process "dies" mid-commit at the socket, and the server sees its
 * session vanish (an open transaction is rolled back; a COMMIT already sent
 * may have been applied).
 */
import net from 'node:net';

export interface TcpFaultProxy {
  readonly port: number;
  /** Cuts the next connection opened from now on after its `afterWrites`-th write from the client. */
  arm(afterWrites: number): void;
  disarm(): void;
  /** How many connections were cut. */
  readonly cuts: () => number;
  close(): Promise<void>;
}

export async function startTcpFaultProxy(upstreamPort: number): Promise<TcpFaultProxy> {
  let armedAfter: number | undefined;
  let cuts = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cutAfter = armedAfter;
    armedAfter = undefined;
    let writes = 0;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data) => {
      writes++;
      if (cutAfter !== undefined && writes >= cutAfter) {
        cuts++;
        // Deliver this message or not, as a crash would land either side of it.
        if (writes % 2 === 0) upstream.write(data, cut);
        else cut();
        return;
      }
      upstream.write(data);
    });
    upstream.on('data', (data) => client.write(data));
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    arm(afterWrites) {
      armedAfter = afterWrites;
    },
    disarm() {
      armedAfter = undefined;
    },
    cuts: () => cuts,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
