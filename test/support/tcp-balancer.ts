import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP balancer on loopback, as an L4 load balancer in front of the replicas: each new client
 * connection goes to the next backend that accepts it; when a backend dies, its connections are dropped.
 */
export class TcpBalancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly backends: readonly number[],
  ) {}

  static async start(backends: readonly number[]): Promise<TcpBalancer> {
    const server = createServer();
    const balancer = new TcpBalancer(server, backends);
    server.on('connection', (client) => balancer.forward(client, 0));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** The backend port each open client connection was sent to. */
  readonly routes = new Map<Socket, number>();

  private forward(client: Socket, attempt: number): void {
    if (attempt >= this.backends.length) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length];
    const upstream = connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('error', () => {
      // Refused: that replica is gone, try the next one.
      if (!connected) this.forward(client, attempt + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      this.sockets.add(client).add(upstream);
      this.routes.set(client, port);
      client.pipe(upstream).pipe(client);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        this.routes.delete(client);
      };
      client.once('close', close).once('error', close);
      upstream.once('close', close);
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
